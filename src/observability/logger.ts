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

/** Commands whose arguments may hold a password (`AUTH`, `HELLO 3 AUTH user password`, …). */
const credentialCommands = /^(auth|hello|acl|config|migrate)$/i;

/**
 * Errors as pino writes them, but for the arguments of those commands: ioredis puts the command
 * a reply answers on its errors, so a refused `AUTH` would log the Redis password.
 */
function errorWithoutCredentials(error: Error): unknown {
  return withoutCredentialArguments(pino.stdSerializers.err(error), 0);
}

function withoutCredentialArguments(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== "object" || depth > 8) return value;
  if (Array.isArray(value)) return value.map((item) => withoutCredentialArguments(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) copy[key] = withoutCredentialArguments(inner, depth + 1);
  if (typeof copy.name === "string" && credentialCommands.test(copy.name) && Array.isArray(copy.args))
    copy.args = ["[redacted]"];
  return copy;
}

/** The options of every logger: its level, and what never reaches the log. */
export function loggerOptions(level: string): pino.LoggerOptions {
  return {
    level,
    redact: { paths: redactedPaths, censor: "[redacted]" },
    serializers: { err: errorWithoutCredentials },
  };
}

export function createLogger(level: string, format: LogFormat = defaultLogFormat()): Logger {
  const options = loggerOptions(level);
  if (format === "json") return pino(options);
  // Loaded only here: JSON processes (the production case) never pay for its start-up.
  const pinoPretty = createRequire(import.meta.url)("pino-pretty") as typeof PinoPretty;
  // Synchronous like pino's own stdout, so the lines logged right before process.exit are not lost.
  return pino(options, pinoPretty({ sync: true, ignore: "pid,hostname", translateTime: "SYS:HH:MM:ss.l" }));
}
