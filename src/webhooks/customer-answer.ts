import { z } from "zod";
import { userIdListEntry } from "../domain/events/live-event.js";

const editSchema = z.strictObject({
  title: z.string().min(1).max(1000).optional(),
  body: z.string().max(100_000).optional(),
  data: z.record(z.string().max(200), z.unknown()).optional(),
});

/**
 * What a customer's webhook may answer with a 2xx: `send`, as proposed or with its own fields
 * and recipients, or `drop`.
 */
export const answerSchema = z.discriminatedUnion("action", [
  z.strictObject({
    action: z.literal("send"),
    notification: editSchema.optional(),
    recipient_ids: z.array(userIdListEntry).max(100_000).optional(),
  }),
  z.strictObject({ action: z.literal("drop") }),
]);

export type NotificationEdit = z.infer<typeof editSchema>;

export type CustomerDecision =
  | { kind: "send"; notification?: NotificationEdit; recipientIds?: string[] }
  | { kind: "drop" }
  /** A 2xx whose body is none of the answers: recorded, not retried, the fallback applies. */
  | { kind: "invalid"; error: string }
  /** Non-2xx, timeout, connection error: worth another attempt. */
  | { kind: "retry"; error: string; retryAfterMs?: number }
  /** Will not work by retrying (a refused target). */
  | { kind: "unreachable"; error: string };

/** Reads a 2xx answer's body. */
export function decide2xx(statusCode: number, body: Buffer, truncated: boolean): CustomerDecision {
  if (truncated) return { kind: "invalid", error: "the answer is larger than the gateway reads" };
  const text = body.toString("utf8").trim();
  if (statusCode === 204 || text === "") return { kind: "drop" };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: "invalid", error: "the answer is not JSON" };
  }
  const parsed = answerSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      kind: "invalid",
      error: `the answer is not send/drop: ${issue?.path.join(".") || "(body)"} ${issue?.message}`,
    };
  }
  if (parsed.data.action === "drop") return { kind: "drop" };
  return { kind: "send", notification: parsed.data.notification, recipientIds: parsed.data.recipient_ids };
}

/** Seconds or an HTTP date, as `Retry-After` allows; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
