/** Channel membership kept from events and the members API (docs/api.md §7.3). */
export interface ChannelRepository {
  members(appId: string, channelId: string): Promise<string[]>;
  replaceMembers(appId: string, channelId: string, userIds: string[]): Promise<void>;
  addMember(appId: string, channelId: string, userId: string): Promise<void>;
  removeMember(appId: string, channelId: string, userId: string): Promise<void>;
  deleteChannel(appId: string, channelId: string): Promise<void>;
}
