import type { EventRecord, EventStatus, WebhookAttemptRecord } from "../../domain/events/event-record.js";
import type { EventToReserve } from "../../domain/events/event-repository.js";
import type { LiveEvent } from "../../domain/events/live-event.js";

/** An `events` row, as both stores read it: the record's columns, a status that may be `received`, a JSON payload. */
export type EventRow = Omit<EventRecord, "status" | "payload" | "suppressedBy"> & {
  suppressedBy: unknown;
  /** `received` rows are not accepted yet: never mapped to a record. */
  status: EventStatus | "received";
  payload: unknown;
};

/** The `webhook_attempts` columns a `WebhookAttemptRecord` is made of. */
export const webhookAttemptKeys = [
  "run",
  "at",
  "statusCode",
  "durationMs",
  "error",
  "response",
] as const satisfies readonly (keyof WebhookAttemptRecord)[];

/** What a replay resets (its repository also increments `run`): queued again, no counts, no outcome. */
export const replayedEventColumns = {
  status: "queued",
  recipients: 0,
  suppressed: 0,
  suppressedBy: {},
  tokens: 0,
  sent: 0,
  failed: 0,
  invalidTokens: 0,
  expired: 0,
  error: null,
  webhookOutcome: null,
  completedAt: null,
} as const satisfies Partial<EventRow>;

/** The row `reserve` writes: received, not yet accepted. */
export function reservedEventRow(appId: string, { event, mode, receivedAt }: EventToReserve) {
  return {
    appId,
    id: event.id,
    type: event.type,
    mode,
    status: "received" as const,
    payload: event,
    receivedAt,
  };
}

export function toEventRecord(row: EventRow): EventRecord {
  return {
    appId: row.appId,
    id: row.id,
    type: row.type,
    mode: row.mode,
    status: row.status as EventRecord["status"],
    payload: row.payload as LiveEvent,
    receivedAt: row.receivedAt,
    completedAt: row.completedAt,
    expiresAt: row.expiresAt,
    run: row.run,
    recipients: row.recipients,
    suppressed: row.suppressed,
    suppressedBy: row.suppressedBy as EventRecord["suppressedBy"],
    tokens: row.tokens,
    sent: row.sent,
    failed: row.failed,
    invalidTokens: row.invalidTokens,
    expired: row.expired,
    error: row.error,
    webhookOutcome: row.webhookOutcome,
  };
}
