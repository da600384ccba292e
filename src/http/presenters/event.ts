import type { EventRecord, WebhookAttemptRecord } from "../../domain/events/event-record.js";
import type { EventStatusResponse } from "../schemas/events.js";

function presentWebhook(
  record: EventRecord,
  attempts: WebhookAttemptRecord[],
): EventStatusResponse["webhook"] {
  if (record.mode !== "webhook") return null;
  return {
    outcome: record.webhookOutcome,
    attempts: attempts.map((attempt) => ({
      at: attempt.at.toISOString(),
      status_code: attempt.statusCode,
      duration_ms: attempt.durationMs,
      error: attempt.error,
      run: attempt.run,
      response: attempt.response,
    })),
  };
}

/** What became of an event; `attempts` are the webhook calls (webhook mode). */
export function presentEvent(
  record: EventRecord,
  attempts: WebhookAttemptRecord[] = [],
): EventStatusResponse {
  const resolved = record.sent + record.failed + record.invalidTokens + record.expired;
  return {
    id: record.id,
    type: record.type,
    mode: record.mode,
    status: record.status,
    received_at: record.receivedAt.toISOString(),
    completed_at: record.completedAt?.toISOString() ?? null,
    recipients: record.recipients,
    suppressed: record.suppressed,
    suppressed_by: record.suppressedBy,
    webhook: presentWebhook(record, attempts),
    deliveries: {
      sent: record.sent,
      failed: record.failed,
      invalid_tokens: record.invalidTokens,
      expired: record.expired,
      silenced: record.silenced,
      folded: record.folded,
      pending: Math.max(0, record.tokens - resolved),
    },
    ...(record.error ? { error: record.error } : {}),
  };
}
