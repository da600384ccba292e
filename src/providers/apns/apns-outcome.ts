import type { ResponseFailure, ResponseSent, Responses } from "@parse/node-apn";
import type { PushOutcome } from "../push-provider.js";

/** Reasons of a 400 that mean the token itself is dead. */
const deadTokenReasons = new Set(["BadDeviceToken", "DeviceTokenNotForTopic"]);

/** node-apn's sent entries also carry the `apns-id` header, which its typings omit. */
type Delivered = ResponseSent & { "apns-id"?: string };

/** Maps node-apn's answer to a one-token send to an outcome (docs/api.md §9). */
export function apnsOutcome({ sent, failed }: Responses<ResponseSent, ResponseFailure>): PushOutcome {
  const [delivered] = sent as Delivered[];
  if (delivered) return { status: "sent", id: delivered["apns-id"], providerStatus: "200" };
  const [failure] = failed;
  const reason = failure?.response?.reason ?? failure?.error?.message ?? "node-apn reported no result";
  const status = failure?.status;
  // No numeric status: the request never got an answer (connection, timeout, stream error).
  if (typeof status !== "number") return { status: "retry", reason };
  const providerStatus = String(status);
  if (status === 410 || (status === 400 && deadTokenReasons.has(reason)))
    return { status: "invalid_token", reason, providerStatus };
  // On ExpiredProviderToken node-apn has already made a new provider token for the next attempt.
  if (status === 429 || status >= 500 || (status === 403 && reason === "ExpiredProviderToken")) {
    return { status: "retry", reason, providerStatus };
  }
  return { status: "failed", reason: `${status} ${reason}`, providerStatus };
}
