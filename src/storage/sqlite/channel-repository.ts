import { and, eq, inArray, sql } from "drizzle-orm";
import type { ChannelRepository } from "../../domain/channels/channel-repository.js";
import { chunks } from "../chunks.js";
import { membershipChange } from "../mapping/channels.js";
import { channelMembers } from "./schema/index.js";
import type { SqliteDb } from "./sqlite-store.js";

/** Members per statement: three parameters a row, under SQLite's bound-parameter limit. */
const idsPerStatement = 300;

export class SqliteChannelRepository implements ChannelRepository {
  /** Every event with a member list reads the channel's: compiled once. */
  private readonly membersStatement;

  constructor(private readonly db: SqliteDb) {
    this.membersStatement = db
      .select({ userId: channelMembers.userId })
      .from(channelMembers)
      .where(
        and(
          eq(channelMembers.appId, sql.placeholder("appId")),
          eq(channelMembers.channelId, sql.placeholder("channelId")),
        ),
      )
      .prepare();
  }

  async members(appId: string, channelId: string): Promise<string[]> {
    return this.membersStatement.all({ appId, channelId }).map((row) => row.userId);
  }

  async replaceMembers(appId: string, channelId: string, userIds: string[]): Promise<void> {
    // Most events repeat the list the channel has: then a read, and no write transaction.
    const change = membershipChange(await this.members(appId, channelId), userIds);
    if (change.leaving.length === 0 && change.joining.length === 0) return;
    // Immediate: a read-then-write transaction must hold the write lock from its first read,
    // or another process's write in between makes its upgrade fail (SQLITE_BUSY_SNAPSHOT).
    this.db.transaction(
      (tx) => {
        const current = this.membersStatement.all({ appId, channelId }).map((row) => row.userId);
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
      },
      { behavior: "immediate" },
    );
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
