import type { PushOutcome } from "../push-provider.js";
import { parseRetryAfter } from "../retry-after.js";
import type { CapturedResponse } from "./response-capture.js";

const deadTokenCodes = new Set([
  "messaging/registration-token-not-registered",
  "messaging/invalid-registration-token",
]);

/**
 * firebase-admin reports FCM's SENDER_ID_MISMATCH (the token belongs to another
 * project: dead for this app) and PERMISSION_DENIED (the app's own setup is wrong:
 * every token would fail) under one code; only FCM's message tells them apart, and
 * removing every token of a misconfigured app would lose data.
 */
function isSenderMismatch(code: string, message: string): boolean {
  return code === "messaging/mismatched-credential" && /sender ?id mismatch/i.test(message);
}

const transientCodes = new Set([
  "messaging/server-unavailable",
  "messaging/internal-error",
  "messaging/message-rate-exceeded",
  "messaging/device-message-rate-exceeded",
  "messaging/topics-message-rate-exceeded",
  "app/network-error",
  "app/network-timeout",
  // The send raced an update of the app's credentials, which replaced its firebase-admin app.
  "app/app-deleted",
]);

/**
 * OAuth2 error codes (RFC 6749 §5.2) that no later attempt with the same credentials can fix.
 * firebase-admin reports every failed token fetch as `app/invalid-credential`, outages included,
 * with the cause only in the message.
 */
const permanentOAuthError =
  /\b(invalid_grant|invalid_client|unauthorized_client|invalid_scope|unsupported_grant_type|invalid_request)\b/;

/** Maps a rejected `messaging.send()` to an outcome (docs/api.md §9). */
export function fcmFailureOutcome(error: unknown, response: CapturedResponse): PushOutcome {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const reason = code ? `${code}: ${message}` : message;
  const providerStatus = response.status === undefined ? undefined : String(response.status);
  const answered = providerStatus === undefined ? {} : { providerStatus };
  if (deadTokenCodes.has(code) || isSenderMismatch(code, message))
    return { status: "invalid_token", reason, ...answered };
  if (
    transientCodes.has(code) ||
    isTransientStatus(response.status) ||
    (code === "app/invalid-credential" && !permanentOAuthError.test(message))
  ) {
    const retryAfterMs = parseRetryAfter(response.retryAfter);
    return retryAfterMs === undefined
      ? { status: "retry", reason, ...answered }
      : { status: "retry", reason, retryAfterMs, ...answered };
  }
  return { status: "failed", reason, ...answered };
}

function errorCode(error: unknown): string {
  if (typeof error === "object" && error !== null && "code" in error && typeof error.code === "string") {
    return error.code;
  }
  return "";
}

function isTransientStatus(status: number | undefined): boolean {
  return status !== undefined && (status === 429 || status >= 500);
}
