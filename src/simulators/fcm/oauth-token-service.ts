import { createPublicKey, type KeyObject, randomBytes } from "node:crypto";
import { decodeJwt, errors, jwtVerify } from "jose";
import { type GoogleError, permissionDenied, unauthenticated } from "./google-errors.js";

/** A service account the simulator knows, as Google knows its public key. */
export interface FcmServiceAccountRegistration {
  project_id: string;
  client_email: string;
  /** SPKI PEM of the account's key pair. */
  public_key: string;
}

export type TokenExchange =
  | { status: 200; body: { access_token: string; expires_in: number; token_type: "Bearer" } }
  | { status: 400; body: { error: string; error_description: string } };

export type Authorization =
  | { ok: true; clientEmail: string }
  | { ok: false; status: 401 | 403; error: GoogleError };

const jwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const googleTokenUrl = "https://oauth2.googleapis.com/token";
/** The audiences Google's token endpoint accepts in an assertion: its URL and its older ones. */
const googleTokenAudiences = new Set([
  googleTokenUrl,
  "https://www.googleapis.com/oauth2/v4/token",
  "https://accounts.google.com/o/oauth2/token",
]);
const messagingScopes = new Set([
  "https://www.googleapis.com/auth/firebase.messaging",
  "https://www.googleapis.com/auth/cloud-platform",
]);
const tokenLifetimeSeconds = 3599;
const maxAssertionLifetimeSeconds = 3600;
const clockSkewSeconds = 60;
const badTimeframe =
  "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.";

interface IssuedToken {
  projectId: string;
  clientEmail: string;
  scopes: string[];
  expiresAt: number;
}

/** Google's OAuth2 JWT-bearer grant for service accounts, and the access tokens it issues. */
export class OAuthTokenService {
  private readonly accounts = new Map<string, { projectId: string; publicKey: KeyObject }>();
  private readonly issued = new Map<string, IssuedToken>();

  /** `clock`: the service's time, in ms since the epoch, against which assertions and tokens age. */
  constructor(private readonly clock: () => number) {}

  register(account: FcmServiceAccountRegistration): void {
    this.accounts.set(account.client_email, {
      projectId: account.project_id,
      publicKey: createPublicKey(account.public_key),
    });
  }

  /** Answers `POST /token`. */
  async exchange(form: URLSearchParams): Promise<TokenExchange> {
    const grantType = form.get("grant_type");
    if (grantType !== jwtBearerGrant)
      return refuse("unsupported_grant_type", `Invalid grant_type: ${grantType ?? ""}`);
    const assertion = form.get("assertion");
    if (!assertion) return refuse("invalid_request", "Missing required parameter: assertion");

    let claims: ReturnType<typeof decodeJwt>;
    try {
      claims = decodeJwt(assertion);
    } catch {
      return refuse("invalid_grant", "Invalid JWT: the assertion is not a JWT.");
    }
    const account = typeof claims.iss === "string" ? this.accounts.get(claims.iss) : undefined;
    if (!account || typeof claims.iss !== "string")
      return refuse("invalid_grant", "Invalid grant: account not found");
    try {
      await jwtVerify(assertion, account.publicKey, {
        algorithms: ["RS256"],
        clockTolerance: clockSkewSeconds,
        currentDate: new Date(this.clock()),
      });
    } catch (error) {
      if (error instanceof errors.JWTExpired) return refuse("invalid_grant", badTimeframe);
      return refuse("invalid_grant", "Invalid JWT Signature.");
    }
    if (typeof claims.aud !== "string" || !googleTokenAudiences.has(claims.aud)) {
      return refuse(
        "invalid_grant",
        `Invalid JWT: Failed audience check. The right audience is ${googleTokenUrl}`,
      );
    }
    const now = Math.floor(this.clock() / 1000);
    const { iat, exp } = claims;
    if (
      typeof iat !== "number" ||
      typeof exp !== "number" ||
      iat > now + clockSkewSeconds ||
      exp - iat > maxAssertionLifetimeSeconds
    ) {
      return refuse("invalid_grant", badTimeframe);
    }
    const scopes = typeof claims.scope === "string" ? claims.scope.split(" ").filter(Boolean) : [];
    if (scopes.length === 0) return refuse("invalid_scope", "Empty or missing scope not allowed.");

    const accessToken = `ya29.sim-${randomBytes(24).toString("base64url")}`;
    this.issued.set(accessToken, {
      projectId: account.projectId,
      clientEmail: claims.iss,
      scopes,
      expiresAt: this.clock() + tokenLifetimeSeconds * 1000,
    });
    return {
      status: 200,
      body: { access_token: accessToken, expires_in: tokenLifetimeSeconds, token_type: "Bearer" },
    };
  }

  /** Whether `Authorization: Bearer …` may send messages of `projectId`, as FCM decides. */
  authorize(authorization: string | undefined, projectId: string): Authorization {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    if (!match) {
      return denied(
        401,
        unauthenticated(
          "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
        ),
      );
    }
    const token = this.issued.get(match[1] as string);
    if (!token || token.expiresAt <= this.clock()) {
      return denied(
        401,
        unauthenticated(
          "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
        ),
      );
    }
    if (!token.scopes.some((scope) => messagingScopes.has(scope))) {
      return denied(403, permissionDenied("Request had insufficient authentication scopes."));
    }
    if (token.projectId !== projectId) {
      return denied(
        403,
        permissionDenied(
          `Permission 'cloudmessaging.messages.create' denied on resource '//cloudresourcemanager.googleapis.com/projects/${projectId}' (or it may not exist).`,
        ),
      );
    }
    return { ok: true, clientEmail: token.clientEmail };
  }
}

function refuse(error: string, description: string): TokenExchange {
  return { status: 400, body: { error, error_description: description } };
}

function denied(status: 401 | 403, error: GoogleError): Authorization {
  return { ok: false, status, error };
}
