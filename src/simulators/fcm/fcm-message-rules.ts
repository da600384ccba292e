import { isRecord } from "../http-exchange.js";
import { type GoogleError, invalidArgument } from "./google-errors.js";

/** FCM's limit on a message's notification and data, in bytes. */
const maxPayloadBytes = 4096;

const requestFields = new Set(["message", "validate_only"]);
const messageFields = new Set([
  "name",
  "data",
  "notification",
  "android",
  "webpush",
  "apns",
  "fcm_options",
  "token",
  "topic",
  "condition",
]);
const targetFields = ["token", "topic", "condition"] as const;
const androidPriorities = new Set(["normal", "high"]);
const duration = /^\d+(\.\d{1,9})?s$/;

export type CheckedSendRequest =
  | { ok: true; message: Record<string, unknown>; validateOnly: boolean }
  | { ok: false; error: GoogleError };

/** The checks FCM HTTP v1 makes on a `messages:send` body before it accepts the message. */
export function checkSendRequest(body: unknown): CheckedSendRequest {
  if (!isRecord(body)) return refuse("", "Invalid JSON payload received. Expected an object.");
  const unknownRequestField = Object.keys(body).find((key) => !requestFields.has(key));
  if (unknownRequestField) return refuse("", cannotFindField(unknownRequestField, ""));
  const { message } = body;
  if (!isRecord(message)) return refuse("message", "The message is missing.");
  const unknownMessageField = Object.keys(message).find((key) => !messageFields.has(key));
  if (unknownMessageField) return refuse("message", cannotFindField(unknownMessageField, "message"));

  const problem =
    checkTarget(message) ??
    checkStringMap(message.data, "message.data") ??
    checkDataKeys(message.data) ??
    checkNotification(message.notification) ??
    checkAndroid(message.android) ??
    checkSize(message);
  return problem
    ? { ok: false, error: problem }
    : { ok: true, message, validateOnly: body.validate_only === true };
}

function checkTarget(message: Record<string, unknown>): GoogleError | undefined {
  const set = targetFields.filter((field) => message[field] !== undefined);
  if (set.length === 0) return invalidArgument("message", "Recipient of the message is not set.");
  if (set.length > 1) {
    return invalidArgument(
      "message",
      `Invalid JSON payload received. Oneof field 'target' is already set. Cannot set '${set[1]}'`,
    );
  }
  const field = set[0] as string;
  const value = message[field];
  if (typeof value !== "string" || value === "")
    return invalidValue(`message.${field}`, "TYPE_STRING", value);
  return undefined;
}

function checkStringMap(map: unknown, path: string): GoogleError | undefined {
  if (map === undefined) return undefined;
  if (!isRecord(map))
    return invalidArgument(path, `Invalid JSON payload received. Expected an object at '${path}'.`);
  const entries = Object.values(map);
  const index = entries.findIndex((value) => typeof value !== "string");
  return index === -1 ? undefined : invalidValue(`${path}[${index}].value`, "TYPE_STRING", entries[index]);
}

/**
 * FCM HTTP v1 reserves some `data` keys ("from", "message_type", any key starting with "google"
 * or "gcm") and refuses the whole message when one is there.
 */
function checkDataKeys(data: unknown): GoogleError | undefined {
  if (!isRecord(data)) return undefined;
  const reserved = Object.keys(data).find(
    (key) => key === "from" || key === "message_type" || key.startsWith("google") || key.startsWith("gcm"),
  );
  return reserved === undefined
    ? undefined
    : invalidArgument("message.data", `Invalid data payload key: ${reserved}`);
}

function checkNotification(notification: unknown): GoogleError | undefined {
  if (notification === undefined) return undefined;
  if (!isRecord(notification)) return invalidValue("message.notification", "TYPE_MESSAGE", notification);
  for (const [field, value] of Object.entries(notification)) {
    if (!["title", "body", "image"].includes(field)) {
      return invalidArgument("message.notification", cannotFindField(field, "message.notification"));
    }
    if (typeof value !== "string") return invalidValue(`message.notification.${field}`, "TYPE_STRING", value);
  }
  return undefined;
}

function checkAndroid(android: unknown): GoogleError | undefined {
  if (android === undefined) return undefined;
  if (!isRecord(android)) return invalidValue("message.android", "TYPE_MESSAGE", android);
  const { priority, ttl, notification } = android;
  if (
    priority !== undefined &&
    !(typeof priority === "string" && androidPriorities.has(priority.toLowerCase()))
  ) {
    return invalidValue(
      "message.android.priority",
      "type.googleapis.com/google.firebase.fcm.v1.AndroidMessagePriority",
      priority,
    );
  }
  if (ttl !== undefined && !(typeof ttl === "string" && duration.test(ttl))) {
    return invalidValue("message.android.ttl", "type.googleapis.com/google.protobuf.Duration", ttl);
  }
  if (notification !== undefined && !isRecord(notification)) {
    return invalidValue("message.android.notification", "TYPE_MESSAGE", notification);
  }
  return checkStringMap(android.data, "message.android.data");
}

function checkSize(message: Record<string, unknown>): GoogleError | undefined {
  const size = Buffer.byteLength(JSON.stringify({ notification: message.notification, data: message.data }));
  return size > maxPayloadBytes ? invalidArgument("message", "Message is too big") : undefined;
}

function invalidValue(field: string, type: string, value: unknown): GoogleError {
  return invalidArgument(field, `Invalid value at '${field}' (${type}), ${JSON.stringify(value)}`);
}

function cannotFindField(name: string, at: string): string {
  return `Invalid JSON payload received. Unknown name "${name}" at '${at}': Cannot find field.`;
}

function refuse(field: string, description: string): { ok: false; error: GoogleError } {
  return { ok: false, error: invalidArgument(field, description) };
}
