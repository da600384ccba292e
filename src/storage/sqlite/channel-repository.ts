import { and, eq } from "drizzle-orm";
import type { ChannelRepository } from "../../domain/channels/channel-repository.js";
import { channelMembers } from "./schema/index.js";
import type { SqliteDb } from "./sqlite-store.js";

export class SqliteChannelRepository implements ChannelRepository {
  constructor(private readonly db: SqliteDb) {}

  async members(appId: string, channelId: string): Promise<string[]> {
    return this.db
      .select({ userId: channelMembers.userId })
      .from(channelMembers)
      .where(this.channel(appId, channelId))
      .all()
      .map((row) => row.userId);
  }

  async replaceMembers(appId: string, channelId: string, userIds: string[]): Promise<void> {
    const unique = [...new Set(userIds)];
    this.db.transaction((tx) => {
      tx.delete(channelMembers).where(this.channel(appId, channelId)).run();
      for (let start = 0; start < unique.length; start += 300) {
        const rows = unique.slice(start, start + 300).map((userId) => ({ appId, channelId, userId }));
        tx.insert(channelMembers).values(rows).run();
      }
    });
  }

  async addMember(appId: string, channelId: string, userId: string): Promise<void> {
    this.db.insert(channelMembers).values({ appId, channelId, userId }).onConflictDoNothing().run();
  }

  async removeMember(appId: string, channelId: string, userId: string): Promise<void> {
    this.db
      .delete(channelMembers)
      .where(and(this.channel(appId, channelId), eq(channelMembers.userId, userId)))
      .run();
  }

  async deleteChannel(appId: string, channelId: string): Promise<void> {
    this.db.delete(channelMembers).where(this.channel(appId, channelId)).run();
  }

  private channel(appId: string, channelId: string) {
    return and(eq(channelMembers.appId, appId), eq(channelMembers.channelId, channelId));
  }
}
