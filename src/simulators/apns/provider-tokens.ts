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

/** The teams' keys and topics; checks the ES256 provider tokens of `authorization: bearer …`. */
export class ProviderTokens {
  private readonly keys = new Map<string, { teamId: string; publicKey: KeyObject }>();
  private readonly bundles = new Map<string, Set<string>>();

  register(key: ApnsKeyRegistration): void {
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
      return { ok: true, jwt, teamId: key.teamId, keyId, issuedAt: payload.iat as number };
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
