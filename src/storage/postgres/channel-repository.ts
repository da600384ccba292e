import { and, eq, inArray, sql } from "drizzle-orm";
import type { ChannelRepository } from "../../domain/channels/channel-repository.js";
import { chunks } from "../chunks.js";
import { membershipChange } from "../mapping/channels.js";
import type { PostgresDb } from "./postgres-store.js";
import { channelMembers } from "./schema/index.js";
import { serializable } from "./serializable.js";

/** Rows per insert: far below PostgreSQL's 65535 bound parameters per statement. */
const membersPerInsert = 5000;

export class PostgresChannelRepository implements ChannelRepository {
  /** Every event with a member list reads the channel's: parsed once per connection. */
  private readonly membersStatement;

  constructor(private readonly db: PostgresDb) {
    this.membersStatement = db
      .select({ userId: channelMembers.userId })
      .from(channelMembers)
      .where(
        and(
          eq(channelMembers.appId, sql.placeholder("appId")),
          eq(channelMembers.channelId, sql.placeholder("channelId")),
        ),
      )
      .prepare("channel_members");
  }

  async members(appId: string, channelId: string): Promise<string[]> {
    const rows = await this.membersStatement.execute({ appId, channelId });
    return rows.map((row) => row.userId);
  }

  async replaceMembers(appId: string, channelId: string, userIds: string[]): Promise<void> {
    await serializable(this.db, async (tx) => {
      const current = await tx
        .select({ userId: channelMembers.userId })
        .from(channelMembers)
        .where(this.channel(appId, channelId));
      const { leaving, joining } = membershipChange(
        current.map((row) => row.userId),
        userIds,
      );
      if (leaving.length > 0) {
        await tx
          .delete(channelMembers)
          .where(and(this.channel(appId, channelId), inArray(channelMembers.userId, leaving)));
      }
      for (const part of chunks(joining, membersPerInsert)) {
        await tx.insert(channelMembers).values(part.map((userId) => ({ appId, channelId, userId })));
      }
    });
  }

  async addMember(appId: string, channelId: string, userId: string): Promise<void> {
    await this.db.insert(channelMembers).values({ appId, channelId, userId }).onConflictDoNothing();
  }

  async removeMember(appId: string, channelId: string, userId: string): Promise<void> {
    await this.db
      .delete(channelMembers)
      .where(and(this.channel(appId, channelId), eq(channelMembers.userId, userId)));
  }

  async deleteChannel(appId: string, channelId: string): Promise<void> {
    await this.db.delete(channelMembers).where(this.channel(appId, channelId));
  }

  private channel(appId: string, channelId: string) {
    return and(eq(channelMembers.appId, appId), eq(channelMembers.channelId, channelId));
  }
}
