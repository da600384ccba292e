import { InvalidArgumentError } from "commander";
import { credentialPrefix } from "../security/credentials.js";

/** Commander argument parsers: a bad value stops the command with one line naming it. */

export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError("a port is 0 to 65535.");
  return port;
}

export function parseHttpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError("not a URL (e.g. http://127.0.0.1:8080).");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidArgumentError("must be an http:// or https:// URL.");
  }
  return value;
}

/** A Standard Webhooks secret as Pushgate issues them: `whsec_` and base64. */
export function parseWebhookSecret(value: string): string {
  const encoded = value.slice(credentialPrefix.webhookSecret.length);
  if (!value.startsWith(credentialPrefix.webhookSecret) || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    throw new InvalidArgumentError(
      "a secret looks like whsec_ followed by base64 (the app's answer holds it).",
    );
  }
  return value;
}

export function parseHttpStatus(value: string): number {
  const status = Number(value);
  if (!/^\d{3}$/.test(value) || status < 200 || status > 599) {
    throw new InvalidArgumentError("an HTTP status is 200 to 599.");
  }
  return status;
}

export function parsePositiveInteger(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1) throw new InvalidArgumentError("must be a positive integer.");
  return number;
}

/** `--outage`: `<seconds>` or `<status>:<seconds>`; the status, 503 when left out, is a failure (400 to 599). */
export function parseOutage(value: string): { status: number; seconds: number } {
  const parts = /^(?:(\d{3}):)?(\d+)$/.exec(value);
  const status = Number(parts?.[1] ?? 503);
  const seconds = Number(parts?.[2]);
  if (!parts || seconds < 1 || status < 400 || status > 599) {
    throw new InvalidArgumentError(
      "an outage is <seconds> or <status>:<seconds> (e.g. 30 or 500:30): at least 1 s, a status of 400 to 599.",
    );
  }
  return { status, seconds };
}
