import type { ChannelRepository } from "../../domain/channels/channel-repository.js";
import type { LiveEvent } from "../../domain/events/live-event.js";

/**
 * Who an event notifies: its `recipient_ids` when given, else per type,
 * from the event's member snapshot or the membership kept so far. Never the actor.
 * Runs before the event's own membership change is applied, so a join notifies
 * the members who were already in.
 */
export async function resolveRecipients(
  appId: string,
  event: LiveEvent,
  channels: ChannelRepository,
): Promise<string[]> {
  const actorId = event.actor?.id;
  const without = (ids: string[]) => [...new Set(ids)].filter((id) => id !== actorId);
  if (event.recipient_ids) return without(event.recipient_ids);
  const members = async () =>
    event.channel?.member_ids ?? (event.channel ? channels.members(appId, event.channel.id) : []);
  switch (event.type) {
    case "channel.created":
      return without(event.channel.member_ids ?? []);
    case "channel.member_joined":
    case "message.created":
    case "call.ringing":
      return without(await members());
    case "notification.custom":
    case "channel.member_left":
    case "channel.deleted":
      return [];
  }
}
