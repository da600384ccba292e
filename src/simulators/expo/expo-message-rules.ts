import { isRecord } from "../http-exchange.js";
import { type ExpoRequestErrors, expoErrors, validationError } from "./expo-errors.js";

/** Expo's limits on one request: notifications (one per recipient) sent, receipts asked for. */
export const maxNotificationsPerRequest = 100;
export const maxReceiptIdsPerRequest = 1000;

interface FieldRule {
  accepts: (value: unknown) => boolean;
  expected: string;
}

const isString = (value: unknown) => typeof value === "string";
const isNumber = (value: unknown) => typeof value === "number" && Number.isFinite(value);
const isBoolean = (value: unknown) => typeof value === "boolean";
const text: FieldRule = { accepts: isString, expected: "must be a string" };
const number: FieldRule = { accepts: isNumber, expected: "must be a number" };
const flag: FieldRule = { accepts: isBoolean, expected: "must be a boolean" };

/** The message fields of Expo's push API (docs.expo.dev, "Message request format"). */
const messageFields: Record<string, FieldRule> = {
  to: {
    accepts: (value) => isString(value) || (Array.isArray(value) && value.every(isString)),
    expected: "must be a string or an array of strings",
  },
  title: text,
  body: text,
  subtitle: text,
  data: { accepts: isRecord, expected: "must be an object" },
  sound: { accepts: (value) => value === "default" || value === null, expected: 'must be "default" or null' },
  badge: number,
  ttl: number,
  expiration: number,
  priority: {
    accepts: (value) => value === "default" || value === "normal" || value === "high",
    expected: "must be one of [default, normal, high]",
  },
  channelId: text,
  categoryId: text,
  mutableContent: flag,
  _contentAvailable: flag,
};

export type CheckedSendBody =
  | { ok: true; messages: Array<Record<string, unknown>> }
  | { ok: false; error: ExpoRequestErrors };

/** The checks Expo makes on a `push/send` body: one message or an array of them, well typed, not too many. */
export function checkSendBody(body: unknown): CheckedSendBody {
  const messages = Array.isArray(body) ? body : [body];
  for (const [index, message] of messages.entries()) {
    const at = Array.isArray(body) ? `[${index}]` : "";
    const problem = messageProblem(message, at);
    if (problem) return { ok: false, error: validationError(problem) };
  }
  const records = messages as Array<Record<string, unknown>>;
  const notifications = records.reduce((count, message) => count + recipients(message).length, 0);
  if (notifications > maxNotificationsPerRequest) {
    return {
      ok: false,
      error: expoErrors(
        "PUSH_TOO_MANY_NOTIFICATIONS",
        `You are trying to send more than ${maxNotificationsPerRequest} push notifications in one request.`,
      ),
    };
  }
  return { ok: true, messages: records };
}

/** The tokens a message goes to, in order: `to` is one token or a list of them. */
export function recipients(message: Record<string, unknown>): string[] {
  return Array.isArray(message.to) ? (message.to as string[]) : [message.to as string];
}

function messageProblem(message: unknown, at: string): string | undefined {
  if (!isRecord(message)) return `"${at || "value"}" must be an object`;
  if (message.to === undefined) return `"${field(at, "to")}" is required`;
  for (const [name, rule] of Object.entries(messageFields)) {
    const value = message[name];
    if (value !== undefined && !rule.accepts(value)) return `"${field(at, name)}" ${rule.expected}`;
  }
  return undefined;
}

const field = (at: string, name: string) => (at ? `${at}.${name}` : name);

export type CheckedReceiptsBody = { ok: true; ids: string[] } | { ok: false; error: ExpoRequestErrors };

/** The checks Expo makes on a `push/getReceipts` body: `{ ids }`, at most 1000 of them. */
export function checkReceiptsBody(body: unknown): CheckedReceiptsBody {
  const ids = isRecord(body) ? body.ids : undefined;
  if (!Array.isArray(ids) || !ids.every(isString)) {
    return { ok: false, error: validationError('"ids" must be an array of strings') };
  }
  if (ids.length > maxReceiptIdsPerRequest) {
    return {
      ok: false,
      error: expoErrors(
        "PUSH_TOO_MANY_RECEIPTS",
        `You are trying to get more than ${maxReceiptIdsPerRequest} push receipts in one request.`,
      ),
    };
  }
  return { ok: true, ids };
}
