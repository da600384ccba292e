import { createPrivateKey, type KeyObject } from "node:crypto";
import type { Agent } from "node:https";
import type { Credential, GoogleOAuthAccessToken } from "firebase-admin/app";
import got from "got";
import { SignJWT } from "jose";
import type { FcmServiceAccount } from "../../domain/apps/app.js";

const messagingScope = "https://www.googleapis.com/auth/firebase.messaging";
/** The audience Google's token endpoint wants in an assertion, whichever host answers for it. */
const googleTokenUrl = "https://oauth2.googleapis.com/token";
const jwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/**
 * A service-account credential that exchanges its signed assertion at `tokenUrl`
 * (`{FCM_ENDPOINT}/token`): firebase-admin's `cert()` always goes to Google's token host, and
 * the `httpAgent` it is given never reaches its token requests (google-auth-library's
 * `fromJSON()` drops the agent), so no agent can redirect them.
 * No cache here: firebase-admin keeps each app's token and asks again 5 minutes before expiry.
 */
export class EndpointCredential implements Credential {
  private readonly privateKey: KeyObject;

  constructor(
    private readonly serviceAccount: FcmServiceAccount,
    private readonly tokenUrl: string,
    /** The FCM requests' agent (`EndpointAgent`), whose TLS context trusts the endpoint. */
    private readonly agent: Agent | undefined,
  ) {
    this.privateKey = createPrivateKey(serviceAccount.private_key);
  }

  async getAccessToken(): Promise<GoogleOAuthAccessToken> {
    const response = await got.post(this.tokenUrl, {
      form: { grant_type: jwtBearerGrant, assertion: await this.assertion() },
      ...(this.agent && { agent: { https: this.agent } }),
      throwHttpErrors: false,
      retry: { limit: 0 },
      timeout: { request: 10_000 },
    });
    const body = parseJson(response.body);
    if (
      response.statusCode === 200 &&
      typeof body.access_token === "string" &&
      typeof body.expires_in === "number"
    ) {
      return { access_token: body.access_token, expires_in: body.expires_in };
    }
    if (typeof body.error === "string") {
      throw new Error(
        `${body.error}: ${String(body.error_description ?? "")} (status ${response.statusCode})`,
      );
    }
    throw new Error(`token endpoint answered status ${response.statusCode}`);
  }

  private assertion(): Promise<string> {
    const keyId = this.serviceAccount.private_key_id;
    return new SignJWT({ scope: messagingScope })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", ...(typeof keyId === "string" && { kid: keyId }) })
      .setIssuer(this.serviceAccount.client_email)
      .setAudience(googleTokenUrl)
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(this.privateKey);
  }
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
