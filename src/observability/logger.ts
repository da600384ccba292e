import { createRequire } from "node:module";
import { pino } from "pino";
import type PinoPretty from "pino-pretty";
import type { Settings } from "../config/settings.js";

export type Logger = pino.Logger;
export type LogFormat = NonNullable<Settings["LOG_FORMAT"]>;

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

/** Human lines for a person at a terminal; one JSON object per line for anything else reading stdout. */
function defaultLogFormat(): LogFormat {
  return process.stdout.isTTY ? "pretty" : "json";
}

export function createLogger(level: string, format: LogFormat = defaultLogFormat()): Logger {
  const options = { level, redact: { paths: redactedPaths, censor: "[redacted]" } };
  if (format === "json") return pino(options);
  // Loaded only here: JSON processes (the production case) never pay for its start-up.
  const pinoPretty = createRequire(import.meta.url)("pino-pretty") as typeof PinoPretty;
  // Synchronous like pino's own stdout, so the lines logged right before process.exit are not lost.
  return pino(options, pinoPretty({ sync: true, ignore: "pid,hostname", translateTime: "SYS:HH:MM:ss.l" }));
}
