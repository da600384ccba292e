import { and, eq, inArray } from "drizzle-orm";
import type { ChannelRepository } from "../../domain/channels/channel-repository.js";
import { chunks } from "../chunks.js";
import { membershipChange } from "../mapping/channels.js";
import { channelMembers } from "./schema/index.js";
import type { SqliteDb } from "./sqlite-store.js";

/** Members per statement: three parameters a row, under SQLite's bound-parameter limit. */
const idsPerStatement = 300;

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
    this.db.transaction((tx) => {
      const current = tx
        .select({ userId: channelMembers.userId })
        .from(channelMembers)
        .where(this.channel(appId, channelId))
        .all()
        .map((row) => row.userId);
      const { leaving, joining } = membershipChange(current, userIds);
      for (const part of chunks(leaving, idsPerStatement)) {
        tx.delete(channelMembers)
          .where(and(this.channel(appId, channelId), inArray(channelMembers.userId, part)))
          .run();
      }
      for (const part of chunks(joining, idsPerStatement)) {
        tx.insert(channelMembers)
          .values(part.map((userId) => ({ appId, channelId, userId })))
          .run();
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
