import { errors, jwtVerify } from "jose";
import { AuthenticationError } from "./session.js";

const encoder = new TextEncoder();

function rejection(error: unknown): AuthenticationError {
  if (error instanceof errors.JWTExpired) return new AuthenticationError("auth_token has expired");
  if (error instanceof errors.JOSEAlgNotAllowed)
    return new AuthenticationError("auth_token must be signed with HS256");
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new AuthenticationError(`auth_token's ${error.claim} claim is invalid: ${error.reason}`);
  }
  return new AuthenticationError("auth_token is not a valid JWT");
}

/**
 * Checks the JWT a customer server issued for `userId` (docs/api.md §4): HS256 with one of the
 * app's server keys (both verify during a rotation), `sub` = `userId`, `exp` honoured.
 */
export async function verifyAuthToken(
  token: string,
  userId: string,
  serverKeys: string[],
  now: Date,
): Promise<void> {
  for (const serverKey of serverKeys) {
    let subject: string | undefined;
    try {
      ({
        payload: { sub: subject },
      } = await jwtVerify(token, encoder.encode(serverKey), { algorithms: ["HS256"], currentDate: now }));
    } catch (error) {
      if (error instanceof errors.JWSSignatureVerificationFailed) continue;
      throw rejection(error);
    }
    if (subject !== userId) throw new AuthenticationError("auth_token's sub claim does not match user_id");
    return;
  }
  throw new AuthenticationError("auth_token is not signed with this app's server key");
}
