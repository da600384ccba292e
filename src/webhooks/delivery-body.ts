import type { LiveEvent } from "../domain/events/live-event.js";
import type { Notification } from "../pipeline/stages/render.js";

/**
 * What a customer's webhook receives: the live event as it was sent, the notification direct
 * mode would send (null when it would send none), and who would get it.
 */
export interface WebhookDelivery {
  event: LiveEvent;
  notification: { title: string; body: string; data: Record<string, string> } | null;
  recipient_ids: string[];
}

/** The delivery of a run's proposal. */
export function buildDeliveryBody(
  event: LiveEvent,
  notification: Notification | null,
  recipientIds: string[],
): WebhookDelivery {
  return {
    event,
    notification: notification && {
      title: notification.title,
      body: notification.body,
      data: notification.data,
    },
    recipient_ids: recipientIds,
  };
}
