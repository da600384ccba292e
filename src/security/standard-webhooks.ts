import { createHmac } from "node:crypto";
import { constantTimeEqual, webhookSecretKey } from "./credentials.js";

/** Standard Webhooks (standardwebhooks.com) signing and verification over the exact body bytes. */

export class SignatureError extends Error {
  override name = "SignatureError";
}

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

function signature(secret: string, id: string, timestamp: number | string, body: Buffer | string): string {
  const hmac = createHmac("sha256", webhookSecretKey(secret));
  hmac.update(`${id}.${timestamp}.`);
  hmac.update(body);
  return hmac.digest("base64");
}

/** Headers for a delivery; one `v1,` signature per secret (two during a rotation). */
export function signWebhook(
  secrets: string[],
  id: string,
  timestamp: number,
  body: Buffer | string,
): SignedHeaders {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": secrets.map((secret) => `v1,${signature(secret, id, timestamp, body)}`).join(" "),
  };
}

export interface VerifyOptions {
  toleranceSeconds: number;
  now?: Date;
}

/** Throws `SignatureError` unless one signature matches one of the secrets within the tolerance. */
export function verifyWebhook(
  headers: Partial<Record<keyof SignedHeaders, string | undefined>>,
  body: Buffer,
  secrets: string[],
  options: VerifyOptions,
): void {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  const signatures = headers["webhook-signature"];
  if (!id || !timestamp || !signatures) {
    throw new SignatureError("missing webhook-id, webhook-timestamp or webhook-signature header");
  }
  if (!/^\d{1,12}$/.test(timestamp)) throw new SignatureError("webhook-timestamp must be unix seconds");
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > options.toleranceSeconds) {
    throw new SignatureError(`webhook-timestamp is more than ${options.toleranceSeconds} s away from now`);
  }
  // Read as the reference library reads them: `version,signature`, anything after a further comma
  // dropped, so a repeated header, which HTTP joins with ", ", still yields its signatures.
  const presented = signatures
    .split(" ")
    .map((entry) => entry.split(","))
    .filter(([version, signature]) => version === "v1" && signature)
    .map(([, signature]) => Buffer.from(signature as string));
  for (const secret of secrets) {
    const expected = Buffer.from(signature(secret, id, timestamp, body));
    if (presented.some((candidate) => constantTimeEqual(candidate, expected))) return;
  }
  throw new SignatureError("no webhook-signature matches the secret");
}
