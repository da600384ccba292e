import type { AppMode } from "../apps/app.js";
import type { SuppressingToggle } from "../audience/audience.js";
import type { LiveEvent } from "./live-event.js";

export type WebhookOutcome = "send" | "edited" | "dropped" | "failed" | "fallback_send" | "fallback_drop";

/** One call to the customer's webhook. */
export interface WebhookAttemptRecord {
  run: number;
  at: Date;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  /** The start of the customer's answer. */
  response: string | null;
  /** The start of the body sent, kept with a delivery's first call only: its retries send the same. */
  request: string | null;
}

/** How many recipients each check stopped. */
export type SuppressionCounts = Partial<Record<SuppressingToggle, number>>;

/** Who an event was for, and how many of them the toggles stopped. */
export interface AudienceCounts {
  recipients: number;
  suppressed: number;
  suppressedBy: SuppressionCounts;
}

export type EventStatus = "queued" | "processing" | "completed" | "failed" | "expired";

export interface DeliveryCounts {
  sent: number;
  failed: number;
  invalidTokens: number;
  expired: number;
  /** Of `sent`, those sent without sound (a snooze or quiet hours, `quiet_delivery: silent`). */
  silenced: number;
  /** Of `sent`, those that replaced the previous notification of a burst (app setting `burst_window_seconds`). */
  folded: number;
}

/** An accepted event and what became of it (docs/api.md §8). */
export interface EventRecord extends DeliveryCounts {
  appId: string;
  id: string;
  type: string;
  mode: AppMode;
  status: EventStatus;
  payload: LiveEvent;
  receivedAt: Date;
  completedAt: Date | null;
  expiresAt: Date | null;
  run: number;
  recipients: number;
  suppressed: number;
  suppressedBy: SuppressionCounts;
  /** Tokens the notification went to; those without a result are pending. */
  tokens: number;
  error: string | null;
  webhookOutcome: WebhookOutcome | null;
}

export type Reservation = "new" | "duplicate";

export interface EventListQuery {
  status?: EventStatus;
  since?: Date;
  until?: Date;
  limit: number;
  /** Events received strictly before this one (from the previous page). */
  before?: { receivedAt: Date; id: string };
}
