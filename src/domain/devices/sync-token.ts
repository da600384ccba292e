import { jwtVerify, SignJWT } from "jose";
import type { Clock } from "../clock.js";

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

  issue(appId: string, userId: string): Promise<string> {
    const issuedAt = Math.floor(this.clock.now().getTime() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: "HS256", typ: "pushgate-sync+jwt" })
      .setAudience(appId)
      .setSubject(userId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.ttlSeconds)
      .sign(this.key);
  }

  /** The user the token vouches for, or null when it is not a valid sync token of this app. */
  async userOf(appId: string, token: string): Promise<string | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ["HS256"],
        typ: "pushgate-sync+jwt",
        audience: appId,
        requiredClaims: ["sub", "exp"],
        currentDate: this.clock.now(),
      });
      return payload.sub ?? null;
    } catch {
      return null;
    }
  }
}
