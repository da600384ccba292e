import { WebPushError } from "web-push";
import type { PushOutcome } from "../push-provider.js";
import { parseRetryAfter } from "../retry-after.js";

/** RFC 8030 §8.3: the push service no longer knows the subscription (404), or it expired (410). */
const goneStatuses = new Set([404, 410]);

/** Maps a rejected `sendNotification()` to an outcome. */
export function webPushFailureOutcome(error: unknown): PushOutcome {
  if (error instanceof WebPushError) {
    const reason = `push service answered ${error.statusCode}: ${error.body}`;
    const providerStatus = String(error.statusCode);
    if (goneStatuses.has(error.statusCode)) return { status: "invalid_token", reason, providerStatus };
    if (error.statusCode === 429 || error.statusCode >= 500) {
      const retryAfterMs = parseRetryAfter(error.headers["retry-after"]);
      return retryAfterMs === undefined
        ? { status: "retry", reason, providerStatus }
        : { status: "retry", reason, retryAfterMs, providerStatus };
    }
    return { status: "failed", reason, providerStatus };
  }
  const message = error instanceof Error ? error.message : String(error);
  // Node's socket errors carry a code (ECONNREFUSED, ECONNRESET…); web-push's own refusals of bad
  // keys or options do not, and no retry would change them.
  return isSystemError(error) ? { status: "retry", reason: message } : { status: "failed", reason: message };
}

function isSystemError(error: unknown): boolean {
  return error instanceof Error && "code" in error && typeof error.code === "string";
}
