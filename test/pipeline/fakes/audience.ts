import type { AudienceDecision, AudienceFilter } from "../../../src/domain/audience/audience.js";
import type { ChannelRepository } from "../../../src/domain/channels/channel-repository.js";

/** Toggles that let everyone through except the users named. */
export class MutedUsers implements AudienceFilter {
  constructor(private readonly muted: string[] = []) {}

  async filter(_context: unknown, userIds: string[]): Promise<AudienceDecision> {
    const suppressed = userIds.filter((id) => this.muted.includes(id));
    return {
      allowed: userIds.filter((id) => !this.muted.includes(id)),
      silent: [],
      suppressed,
      suppressedBy: suppressed.length > 0 ? { user: suppressed.length } : {},
      locales: {},
    };
  }
}

/** Channels whose members are those the events name. */
export class ChannelsFromEvents implements ChannelRepository {
  private readonly channels = new Map<string, string[]>();

  async members(appId: string, channelId: string): Promise<string[]> {
    return this.channels.get(`${appId}/${channelId}`) ?? [];
  }
  async replaceMembers(appId: string, channelId: string, userIds: string[]): Promise<void> {
    this.channels.set(`${appId}/${channelId}`, userIds);
  }
  async addMember(appId: string, channelId: string, userId: string): Promise<void> {
    this.channels.set(`${appId}/${channelId}`, [...(await this.members(appId, channelId)), userId]);
  }
  async removeMember(appId: string, channelId: string, userId: string): Promise<void> {
    const members = await this.members(appId, channelId);
    this.channels.set(
      `${appId}/${channelId}`,
      members.filter((id) => id !== userId),
    );
  }
  async deleteChannel(appId: string, channelId: string): Promise<void> {
    this.channels.delete(`${appId}/${channelId}`);
  }
}
