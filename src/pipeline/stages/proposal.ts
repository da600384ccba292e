import type { ChannelRepository } from "../../domain/channels/channel-repository.js";
import type { LiveEvent } from "../../domain/events/live-event.js";
import { resolveRecipients } from "./recipients.js";
import { type Notification, renderNotification } from "./render.js";

/** What an event proposes before the toggles: a notification and who would get it. */
export interface Proposal {
  notification: Notification | null;
  /** Nobody when the event notifies nobody. */
  recipients: string[];
}

/** Recipients and wording of an event; call before the event's own membership change is applied. */
export async function proposeNotification(
  appId: string,
  event: LiveEvent,
  channels: ChannelRepository,
): Promise<Proposal> {
  const notification = renderNotification(event);
  const recipients = notification ? await resolveRecipients(appId, event, channels) : [];
  return { notification, recipients };
}
