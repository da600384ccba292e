import { createPublicKey, type KeyObject } from "node:crypto";
import { decodeProtectedHeader, errors, jwtVerify } from "jose";
import { topicSuffixes } from "./apns-header-rules.js";

/** A signing key the simulator knows, as Apple knows a team's p8 key, and a bundle id it may push to. */
export interface ApnsKeyRegistration {
  team_id: string;
  key_id: string;
  /** SPKI PEM of the EC P-256 key. */
  public_key: string;
  bundle_id: string;
}

export type ProviderTokenCheck =
  | { ok: true; jwt: string; teamId: string; keyId: string; issuedAt: number }
  | { ok: false; reason: "MissingProviderToken" | "InvalidProviderToken" | "ExpiredProviderToken" };

/** Apple refuses provider tokens issued more than an hour ago. */
export const maxTokenAgeSeconds = 3600;

/** Verified tokens remembered at most; past it the memory starts again (a provider keeps one per key and hour). */
const maxVerifiedTokens = 10_000;

interface VerifiedToken {
  teamId: string;
  keyId: string;
  issuedAt: number;
  /** Seconds since the epoch after which the token is expired: an hour after `iat`, or its `exp` if sooner. */
  validUntil: number;
}

/** The teams' keys and topics; checks the ES256 provider tokens of `authorization: bearer …`. */
export class ProviderTokens {
  private readonly keys = new Map<string, { teamId: string; publicKey: KeyObject }>();
  private readonly bundles = new Map<string, Set<string>>();
  /**
   * Tokens whose signature checked out, by their text: a provider sends the same token with every
   * request for up to an hour, and an ES256 verification per request made the simulator, not the
   * gateway, what a one-box benchmark measured. The age is still checked at each request.
   */
  private readonly verified = new Map<string, VerifiedToken>();

  register(key: ApnsKeyRegistration): void {
    // A key registered again may be another key under the same id: what it verified no longer holds.
    this.verified.clear();
    this.keys.set(key.key_id, { teamId: key.team_id, publicKey: createPublicKey(key.public_key) });
    const bundles = this.bundles.get(key.team_id) ?? new Set<string>();
    bundles.add(key.bundle_id);
    this.bundles.set(key.team_id, bundles);
  }

  /** Checks the token as Apple would at `now` (ms since the epoch): its key, its team (`iss`), its age. */
  async check(authorization: string | undefined, now: number): Promise<ProviderTokenCheck> {
    const match = /^bearer\s+(\S+)$/i.exec(authorization ?? "");
    if (!match) return { ok: false, reason: "MissingProviderToken" };
    const jwt = match[1] as string;
    const known = this.verified.get(jwt);
    if (known) {
      if (now / 1000 > known.validUntil) return { ok: false, reason: "ExpiredProviderToken" };
      return { ok: true, jwt, teamId: known.teamId, keyId: known.keyId, issuedAt: known.issuedAt };
    }
    let keyId: string | undefined;
    try {
      const header = decodeProtectedHeader(jwt);
      keyId = header.alg === "ES256" ? header.kid : undefined;
    } catch {
      return { ok: false, reason: "InvalidProviderToken" };
    }
    const key = keyId === undefined ? undefined : this.keys.get(keyId);
    if (!key || keyId === undefined) return { ok: false, reason: "InvalidProviderToken" };
    try {
      const { payload } = await jwtVerify(jwt, key.publicKey, {
        algorithms: ["ES256"],
        issuer: key.teamId,
        maxTokenAge: maxTokenAgeSeconds,
        requiredClaims: ["iat"],
        currentDate: new Date(now),
      });
      const issuedAt = payload.iat as number;
      const validUntil = Math.min(issuedAt + maxTokenAgeSeconds, payload.exp ?? Number.POSITIVE_INFINITY);
      if (this.verified.size >= maxVerifiedTokens) this.verified.clear();
      this.verified.set(jwt, { teamId: key.teamId, keyId, issuedAt, validUntil });
      return { ok: true, jwt, teamId: key.teamId, keyId, issuedAt };
    } catch (error) {
      return {
        ok: false,
        reason: error instanceof errors.JWTExpired ? "ExpiredProviderToken" : "InvalidProviderToken",
      };
    }
  }

  /**
   * The suffix `topic` adds to one of the team's bundle ids (`""`, `.voip`, `.complication`…), or
   * `undefined` when the team may not push to it.
   */
  topicSuffix(teamId: string, topic: string): string | undefined {
    const bundles = this.bundles.get(teamId);
    return [...new Set(Object.values(topicSuffixes))].find(
      (suffix) => bundles?.has(topic.slice(0, topic.length - suffix.length)) && topic.endsWith(suffix),
    );
  }
}
