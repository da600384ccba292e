import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { isRecord } from "../http-exchange.js";

/** RFC 8292 §2: a VAPID JWT lives at most a day. */
const maxLifetimeSeconds = 24 * 60 * 60;
const vapidScheme = /^vapid\s+(.+)$/i;

export type VapidCheck =
  | { ok: true; subject: string; publicKey: string }
  | { ok: false; status: 401; message: string };

/**
 * Checks an `Authorization: vapid t=<JWT>, k=<key>` header (RFC 8292) as a push service does: an
 * ES256 JWT signed by `k`, for the push service's `origin`, unexpired and at most a day ahead,
 * from a `mailto:` or `https:` subject.
 */
export function checkVapidAuthorization(
  header: string | undefined,
  origin: string,
  nowMs: number,
): VapidCheck {
  const parameters = header === undefined ? undefined : vapidParameters(header);
  const token = parameters?.get("t");
  const publicKey = parameters?.get("k");
  if (!token || !publicKey) return refuse("Missing or malformed vapid Authorization header");
  const key = p256PublicKey(publicKey);
  if (!key) return refuse("The vapid k parameter is not a P-256 public key");

  const [encodedHeader, encodedClaims, signature, extra] = token.split(".");
  if (!encodedHeader || !encodedClaims || !signature || extra !== undefined)
    return refuse("The vapid JWT is malformed");
  const jwtHeader = decodeJson(encodedHeader);
  const claims = decodeJson(encodedClaims);
  if (!isRecord(jwtHeader) || !isRecord(claims)) return refuse("The vapid JWT is malformed");
  if (jwtHeader.alg !== "ES256") return refuse("The vapid JWT must be signed with ES256");
  const signed = Buffer.from(`${encodedHeader}.${encodedClaims}`);
  const valid = verify(
    "sha256",
    signed,
    { key, dsaEncoding: "ieee-p1363" },
    Buffer.from(signature, "base64url"),
  );
  if (!valid) return refuse("The vapid JWT signature does not verify under k");

  if (claims.aud !== origin) return refuse(`The vapid JWT aud must be ${origin}`);
  const nowSeconds = nowMs / 1000;
  if (typeof claims.exp !== "number" || claims.exp <= nowSeconds) return refuse("The vapid JWT has expired");
  if (claims.exp > nowSeconds + maxLifetimeSeconds)
    return refuse("The vapid JWT exp is more than 24 hours ahead");
  if (typeof claims.sub !== "string" || !isContactUri(claims.sub))
    return refuse("The vapid JWT sub must be a mailto: or https: URL");
  return { ok: true, subject: claims.sub, publicKey };
}

function vapidParameters(header: string): Map<string, string> | undefined {
  const list = vapidScheme.exec(header.trim())?.[1];
  if (list === undefined) return undefined;
  const parameters = new Map<string, string>();
  for (const parameter of list.split(",")) {
    const separator = parameter.indexOf("=");
    if (separator < 0) return undefined;
    parameters.set(parameter.slice(0, separator).trim().toLowerCase(), parameter.slice(separator + 1).trim());
  }
  return parameters;
}

function p256PublicKey(encoded: string): KeyObject | undefined {
  const point = Buffer.from(encoded, "base64url");
  if (point.length !== 65 || point[0] !== 0x04) return undefined;
  try {
    return createPublicKey({
      key: {
        kty: "EC",
        crv: "P-256",
        x: point.subarray(1, 33).toString("base64url"),
        y: point.subarray(33).toString("base64url"),
      },
      format: "jwk",
    });
  } catch {
    return undefined;
  }
}

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

function isContactUri(subject: string): boolean {
  try {
    const { protocol } = new URL(subject);
    return protocol === "mailto:" || protocol === "https:";
  } catch {
    return false;
  }
}

function refuse(message: string): VapidCheck {
  return { ok: false, status: 401, message };
}
