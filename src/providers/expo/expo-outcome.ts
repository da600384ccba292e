import type { PushOutcome } from "../push-provider.js";
import { parseRetryAfter } from "../retry-after.js";
import type { ExpoResponse } from "./expo-api.js";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The outcome of a ticket (`push/send`) or a receipt (`push/getReceipts`), which share their
 * shape: `{ status: "ok" }` or `{ status: "error", message, details: { error } }`.
 */
export function expoResultOutcome(result: unknown, id?: string): PushOutcome {
  if (!isRecord(result)) return { status: "failed", reason: "Expo answered no ticket or receipt" };
  if (result.status === "ok")
    return id === undefined
      ? { status: "sent", providerStatus: "ok" }
      : { status: "sent", id, providerStatus: "ok" };
  const error = isRecord(result.details) ? result.details.error : undefined;
  const reason = typeof result.message === "string" ? result.message : `Expo error ${String(error)}`;
  const providerStatus = typeof error === "string" ? error : "error";
  if (error === "DeviceNotRegistered") return { status: "invalid_token", reason, providerStatus };
  if (error === "MessageRateExceeded") return { status: "retry", reason, providerStatus };
  return { status: "failed", reason, providerStatus };
}

/** The outcome of every notification of a request Expo refused as a whole. */
export function refusedRequestOutcome(response: ExpoResponse): PushOutcome {
  const reason = `Expo answered ${response.statusCode}: ${requestErrors(response.body)}`;
  const providerStatus = String(response.statusCode);
  if (response.statusCode === 429 || response.statusCode >= 500) {
    const retryAfterMs = parseRetryAfter(response.retryAfter);
    return retryAfterMs === undefined
      ? { status: "retry", reason, providerStatus }
      : { status: "retry", reason, retryAfterMs, providerStatus };
  }
  return { status: "failed", reason, providerStatus };
}

/** The outcome of every notification of a request that got no answer. */
export function unansweredRequestOutcome(error: unknown): PushOutcome {
  return {
    status: "retry",
    reason: `Expo unreachable: ${error instanceof Error ? error.message : String(error)}`,
  };
}

/** Expo's `{ errors: [{ code, message }] }`, as one line. */
export function requestErrors(body: unknown): string {
  const errors = isRecord(body) && Array.isArray(body.errors) ? body.errors.filter(isRecord) : [];
  if (errors.length === 0) return "no error body";
  return errors.map((error) => `${String(error.code)} ${String(error.message)}`).join("; ");
}
