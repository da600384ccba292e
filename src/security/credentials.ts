import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** Prefixes make every credential recognisable at a glance and in leaked-secret scanners. */
export const credentialPrefix = {
  apiKey: "pk_",
  serverKey: "sk_",
  session: "sess_",
  webhookSecret: "whsec_",
} as const;

export function newApiKey(): string {
  return credentialPrefix.apiKey + randomBytes(24).toString("base64url");
}

export function newServerKey(): string {
  return credentialPrefix.serverKey + randomBytes(32).toString("base64url");
}

export function newSessionToken(): string {
  return credentialPrefix.session + randomBytes(32).toString("base64url");
}

/** Standard Webhooks secret: `whsec_` followed by base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return credentialPrefix.webhookSecret + randomBytes(32).toString("base64");
}

/** The HMAC key a Standard Webhooks secret stands for. */
export function webhookSecretKey(secret: string): Buffer {
  const encoded = secret.startsWith(credentialPrefix.webhookSecret)
    ? secret.slice(credentialPrefix.webhookSecret.length)
    : secret;
  return Buffer.from(encoded, "base64");
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("base64url")}`;
}

/** Credentials that are only compared are stored as this digest. */
export function credentialDigest(credential: string): string {
  return createHash("sha256").update(credential).digest("hex");
}

export function constantTimeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const left = typeof a === "string" ? Buffer.from(a) : a;
  const right = typeof b === "string" ? Buffer.from(b) : b;
  return left.length === right.length && timingSafeEqual(left, right);
}
