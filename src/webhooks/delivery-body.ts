import type { LiveEvent } from "../domain/events/live-event.js";
import type { Notification } from "../pipeline/stages/render.js";

/** What a customer's webhook receives (SPEC §8). */
export interface WebhookDelivery {
  event: LiveEvent;
  notification: { title: string; body: string; data: Record<string, string> } | null;
  recipient_ids: string[];
}

/** The body of a delivery: the event, the notification direct mode would send, and who would get it. */
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
