import { pino } from "pino";

export type Logger = pino.Logger;

/** Header and body paths that carry credentials; never written to the log. */
const redactedPaths = [
  "req.headers.authorization",
  "req.headers['x-api-key']",
  "req.headers['webhook-signature']",
  "req.headers.cookie",
  "*.private_key",
  "*.server_key",
  "*.event_secret",
  "*.webhook_secret",
  "*.session_token",
  "*.auth_token",
];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: redactedPaths, censor: "[redacted]" } });
}
