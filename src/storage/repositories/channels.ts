import { sql } from "drizzle-orm";
import { batchPerTurn } from "../../common/batch-per-turn.js";
import type { ChannelRepository } from "../../domain/channels/channel-repository.js";
import type { SqlDatabase } from "../sql/database.js";
import { statement } from "../sql/statement.js";

type Channel = { appId: string; channelId: string };

const members = statement<Channel, { user_id: string }>(
  "channels.members",
  (p) => sql`select user_id from channel_members where app_id = ${p.appId} and channel_id = ${p.channelId}`,
);

const removeAllBut = statement<Channel & { userIds: string[] }>(
  "channels.remove_all_but",
  (p, d) => sql`delete from channel_members where app_id = ${p.appId} and channel_id = ${p.channelId}
    and user_id not in ${d.list(p.userIds)}`,
);

const addAll = statement<Channel & { userIds: string[] }>(
  "channels.add_all",
  (p, d) => sql`insert into channel_members (app_id, channel_id, user_id)
    select cast(${p.appId} as text), cast(${p.channelId} as text), value from ${d.list(p.userIds)} as members
    where true on conflict do nothing`,
);

/**
 * PostgreSQL only: the replacements of one event-loop turn, one function call each
 * (drizzle/postgres/0003), in one statement. In channel order, so that two such statements
 * take their channels' locks in the same order and never wait for each other in a circle.
 */
const replaceAllAtOnce = statement<{ replacements: string }>(
  "channels.replace_all_at_once",
  (p) => sql`select pushgate_replace_channel_members(asked.app_id, asked.channel_id, asked.user_ids)
    from (select app_id, channel_id, user_ids
      from json_to_recordset(cast(${p.replacements} as json)) as r(app_id text, channel_id text, user_ids text[])
      order by app_id, channel_id) as asked`,
);

const addOne = statement<Channel & { userId: string }>(
  "channels.add_one",
  (
    p,
  ) => sql`insert into channel_members (app_id, channel_id, user_id) values (${p.appId}, ${p.channelId}, ${p.userId})
    on conflict do nothing`,
);

const removeOne = statement<Channel & { userId: string }>(
  "channels.remove_one",
  (p) =>
    sql`delete from channel_members where app_id = ${p.appId} and channel_id = ${p.channelId} and user_id = ${p.userId}`,
);

const removeChannel = statement<Channel>(
  "channels.remove",
  (p) => sql`delete from channel_members where app_id = ${p.appId} and channel_id = ${p.channelId}`,
);

function sameMembers(current: readonly string[], wanted: readonly string[]): boolean {
  const wantedSet = new Set(wanted);
  return current.length === wantedSet.size && current.every((userId) => wantedSet.has(userId));
}

interface Replacement {
  app_id: string;
  channel_id: string;
  user_ids: string[];
}

export class SqlChannelRepository implements ChannelRepository {
  private readonly replaceOnPostgres: (replacement: Replacement) => Promise<void>;

  constructor(private readonly db: SqlDatabase) {
    this.replaceOnPostgres = batchPerTurn(async (replacements: Replacement[]) => {
      await this.db.run(replaceAllAtOnce, { replacements: JSON.stringify(replacements) });
      return replacements.map(() => undefined);
    });
  }

  async members(appId: string, channelId: string): Promise<string[]> {
    const rows = await this.db.all(members, { appId, channelId });
    return rows.map((row) => row.user_id);
  }

  async replaceMembers(appId: string, channelId: string, userIds: string[]): Promise<void> {
    // PostgreSQL: a function that locks the channel, then writes the difference, called for
    // the replacements of a whole event-loop turn at once. A serializable transaction took four
    // round trips and, when events created channels at once, failed and ran again more often than not.
    if (this.db.dialect === "postgres") {
      return this.replaceOnPostgres({ app_id: appId, channel_id: channelId, user_ids: userIds });
    }
    // Most events repeat the list the channel has: then one read, and no write at all.
    if (sameMembers(await this.members(appId, channelId), userIds)) return;
    // Two set statements, whatever the size of the list, in a transaction that holds SQLite's
    // write lock: two snapshots of one channel apply one after the other, never as a mix.
    await this.db.transaction(async (tx) => {
      await tx.run(removeAllBut, { appId, channelId, userIds });
      await tx.run(addAll, { appId, channelId, userIds });
    });
  }

  async addMember(appId: string, channelId: string, userId: string): Promise<void> {
    await this.db.run(addOne, { appId, channelId, userId });
  }

  async removeMember(appId: string, channelId: string, userId: string): Promise<void> {
    await this.db.run(removeOne, { appId, channelId, userId });
  }

  async deleteChannel(appId: string, channelId: string): Promise<void> {
    await this.db.run(removeChannel, { appId, channelId });
  }
}
