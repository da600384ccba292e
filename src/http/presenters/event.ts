import type { EventRecord } from "../../domain/events/event-record.js";

/** The event-status JSON of SPEC §9. */
export function presentEvent(record: EventRecord) {
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
    webhook: null,
    deliveries: {
      sent: record.sent,
      failed: record.failed,
      invalid_tokens: record.invalidTokens,
      expired: record.expired,
      pending: Math.max(0, record.tokens - resolved),
    },
    ...(record.error ? { error: record.error } : {}),
  };
}
