import type { ChannelRepository } from "../../domain/channels/channel-repository.js";
import type { LiveEvent } from "../../domain/events/live-event.js";

/**
 * Keeps each channel's membership from what events say: a member list replaces it, a join or
 * a leave changes it, a deletion removes the channel.
 */
export async function applyMembership(
  appId: string,
  event: LiveEvent,
  channels: ChannelRepository,
): Promise<void> {
  const channel = event.channel;
  if (!channel) return;
  if (event.type === "channel.deleted") return channels.deleteChannel(appId, channel.id);
  if (channel.member_ids) await channels.replaceMembers(appId, channel.id, channel.member_ids);
  if (event.type === "channel.member_joined") await channels.addMember(appId, channel.id, event.actor.id);
  if (event.type === "channel.member_left") await channels.removeMember(appId, channel.id, event.actor.id);
}
