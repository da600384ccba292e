import { jwtVerify, SignJWT } from "jose";
import type { Clock } from "../clock.js";
import type { SyncUser } from "./device-repository.js";

/**
 * Signed, expiring proofs that the holder is signed in as a user of an app (docs/api.md §5),
 * so another account on the same device can bind its push token to that user too.
 */
export class SyncTokens {
  constructor(
    private readonly key: Uint8Array,
    private readonly ttlSeconds: number,
    private readonly clock: Clock,
  ) {}

  /** The session's sign-out ends what the token binds; until then, the token vouches for its user. */
  issue(appId: string, userId: string, sessionId: string): Promise<string> {
    const issuedAt = Math.floor(this.clock.now().getTime() / 1000);
    return new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: "HS256", typ: "pushgate-sync+jwt" })
      .setAudience(appId)
      .setSubject(userId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.ttlSeconds)
      .sign(this.key);
  }

  /**
   * The user the token vouches for and the session it was issued to, or null when it is not a
   * valid sync token of this app (one issued before tokens named their session included).
   */
  async vouchedFor(appId: string, token: string): Promise<SyncUser | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ["HS256"],
        typ: "pushgate-sync+jwt",
        audience: appId,
        requiredClaims: ["sub", "exp"],
        currentDate: this.clock.now(),
      });
      if (!payload.sub || typeof payload.sid !== "string") return null;
      return { userId: payload.sub, sessionId: payload.sid };
    } catch {
      return null;
    }
  }
}
