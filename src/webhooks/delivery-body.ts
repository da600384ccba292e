import type { SuppressionCounts } from "../domain/events/event-record.js";
import type { LiveEvent } from "../domain/events/live-event.js";
import type { Notification } from "../pipeline/stages/render.js";

/**
 * What a customer's webhook receives: the live event as it was sent, the notification direct
 * mode would send (null when it would send none), who would get it (and who without sound),
 * how many recipients each check stopped, and the languages to word it in: each recipient's
 * own, else the app's default.
 */
export interface WebhookDelivery {
  event: LiveEvent;
  notification: { title: string; body: string; data: Record<string, string> } | null;
  recipient_ids: string[];
  silent_recipient_ids: string[];
  suppressed_by: SuppressionCounts;
  recipient_locales: Record<string, string>;
  default_locale: string;
}

/** A run's proposal, as the event stage made it. */
export interface DeliveryProposal {
  notification: Notification | null;
  recipientIds: string[];
  /** Those of `recipientIds` to send to without sound; absent from jobs queued before it existed. */
  silentRecipientIds?: string[];
  /** How many recipients each check stopped; absent from jobs queued before it existed. */
  suppressedBy?: SuppressionCounts;
  /**
   * The user's own `locale` setting of those of `recipientIds` who have one, not a device's: the
   * customer addresses users, and a user's devices may each have another; absent from jobs
   * queued before it existed.
   */
  recipientLocales?: Record<string, string>;
}

/** The delivery of a run's proposal, for an app whose default locale is `defaultLocale`. */
export function buildDeliveryBody(
  event: LiveEvent,
  proposal: DeliveryProposal,
  defaultLocale: string,
): WebhookDelivery {
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
    recipient_locales: proposal.recipientLocales ?? {},
    default_locale: defaultLocale,
  };
}
