import { errors, type JWTPayload, jwtVerify } from "jose";
import { AuthenticationError } from "./session.js";

const encoder = new TextEncoder();

/** How far the customer server's clock may run ahead of ours. */
const clockSkewSeconds = 60;

function rejection(error: unknown): AuthenticationError {
  if (error instanceof errors.JWTExpired) return new AuthenticationError("auth_token has expired");
  if (error instanceof errors.JWTClaimValidationFailed && error.reason === "missing") {
    return new AuthenticationError(`auth_token must have an ${error.claim} claim`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return new AuthenticationError("auth_token must be signed with HS256");
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new AuthenticationError(`auth_token's ${error.claim} claim is invalid: ${error.reason}`);
  }
  return new AuthenticationError("auth_token is not a valid JWT");
}

/**
 * A sign-in proof that outlives its purpose is a stolen session waiting to happen: it must
 * expire, within `maxLifetimeSeconds` of now (or of its `iat`), and not be issued in the future.
 */
function checkLifetime(payload: JWTPayload, now: Date, maxLifetimeSeconds: number): void {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const issuedAt = payload.iat ?? nowSeconds;
  if (issuedAt > nowSeconds + clockSkewSeconds) {
    throw new AuthenticationError("auth_token's iat claim is in the future");
  }
  if ((payload.exp as number) - Math.min(issuedAt, nowSeconds) > maxLifetimeSeconds + clockSkewSeconds) {
    throw new AuthenticationError(
      `auth_token's exp claim is too far ahead: a sign-in token may live ${maxLifetimeSeconds} s at most`,
    );
  }
}

/**
 * Checks the JWT a customer server issued for `userId`: HS256 with one of the app's server
 * keys (both verify during a rotation), `sub` = `userId`, an `exp` that has not passed and
 * is at most `maxLifetimeSeconds` ahead.
 */
export async function verifyAuthToken(
  token: string,
  userId: string,
  serverKeys: string[],
  now: Date,
  maxLifetimeSeconds: number,
): Promise<void> {
  for (const serverKey of serverKeys) {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, encoder.encode(serverKey), {
        algorithms: ["HS256"],
        currentDate: now,
        requiredClaims: ["exp"],
      }));
    } catch (error) {
      if (error instanceof errors.JWSSignatureVerificationFailed) continue;
      throw rejection(error);
    }
    if (payload.sub !== userId)
      throw new AuthenticationError("auth_token's sub claim does not match user_id");
    checkLifetime(payload, now, maxLifetimeSeconds);
    return;
  }
  throw new AuthenticationError("auth_token is not signed with this app's server key");
}
