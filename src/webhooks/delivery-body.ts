import type { SuppressionCounts } from "../domain/events/event-record.js";
import type { LiveEvent } from "../domain/events/live-event.js";
import type { Notification } from "../pipeline/stages/render.js";

/**
 * What a customer's webhook receives: the live event as it was sent, the notification direct
 * mode would send (null when it would send none), who would get it (and who without sound),
 * and how many recipients each check stopped.
 */
export interface WebhookDelivery {
  event: LiveEvent;
  notification: { title: string; body: string; data: Record<string, string> } | null;
  recipient_ids: string[];
  silent_recipient_ids: string[];
  suppressed_by: SuppressionCounts;
}

/** A run's proposal, as the event stage made it. */
export interface DeliveryProposal {
  notification: Notification | null;
  recipientIds: string[];
  /** Those of `recipientIds` to send to without sound; absent from jobs queued before it existed. */
  silentRecipientIds?: string[];
  /** How many recipients each check stopped; absent from jobs queued before it existed. */
  suppressedBy?: SuppressionCounts;
}

/** The delivery of a run's proposal. */
export function buildDeliveryBody(event: LiveEvent, proposal: DeliveryProposal): WebhookDelivery {
  const { notification } = proposal;
  return {
    event,
    notification: notification && {
      title: notification.title,
      body: notification.body,
      data: notification.data,
    },
    recipient_ids: proposal.recipientIds,
    silent_recipient_ids: proposal.silentRecipientIds ?? [],
    suppressed_by: proposal.suppressedBy ?? {},
  };
}
