import { sql } from "drizzle-orm";
import type { RecipientToken, TokenDirectory } from "../../domain/audience/audience.js";
import type { SqlDatabase } from "../sql/database.js";
import { statement } from "../sql/statement.js";
import { readBoolean } from "../sql/values.js";
import { removeMatchedToken } from "./devices.js";

interface RecipientTokenRow {
  user_id: string;
  provider: RecipientToken["provider"];
  token: string;
  platform: RecipientToken["platform"];
  voip: unknown;
  device_id: string;
}

/** The owners' tokens, then the sync-bound users' tokens, of a whole batch of users: one statement. */
const tokensOfUsers = statement<{ appId: string; userIds: string[] }, RecipientTokenRow>(
  "token_directory.tokens_of_users",
  (p, d) => sql`select devices.user_id, t.provider, t.token, t.platform, t.voip, t.device_id
    from device_tokens t join devices on devices.id = t.device_id
    where devices.app_id = ${p.appId} and devices.user_id in ${d.list(p.userIds)}
    union all
    select sync_user.user_id, t.provider, t.token, t.platform, t.voip, t.device_id
    from device_sync_users sync_user join device_tokens t on t.device_id = sync_user.device_id
    where sync_user.app_id = ${p.appId} and sync_user.user_id in ${d.list(p.userIds)}`,
);

/** A device always has a token (one that loses its last is deleted): having a device is enough. */
const usersWithDevices = statement<{ appId: string; userIds: string[] }, { user_id: string }>(
  "token_directory.users_with_devices",
  (p, d) => sql`select user_id from devices where app_id = ${p.appId} and user_id in ${d.list(p.userIds)}
    union
    select user_id from device_sync_users where app_id = ${p.appId} and user_id in ${d.list(p.userIds)}`,
);

function toRecipientToken(row: RecipientTokenRow): RecipientToken {
  return {
    userId: row.user_id,
    provider: row.provider,
    token: row.token,
    platform: row.platform,
    voip: readBoolean(row.voip),
    deviceId: row.device_id,
  };
}

export class SqlTokenDirectory implements TokenDirectory {
  constructor(private readonly db: SqlDatabase) {}

  async tokensOf(appId: string, userIds: string[]): Promise<RecipientToken[]> {
    if (userIds.length === 0) return [];
    const rows = await this.db.all(tokensOfUsers, { appId, userIds: [...new Set(userIds)] });
    return rows.map(toRecipientToken);
  }

  async usersWithTokens(appId: string, userIds: string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    const rows = await this.db.all(usersWithDevices, { appId, userIds: [...new Set(userIds)] });
    return rows.map((row) => row.user_id);
  }

  /** Serializable: it may leave a device without tokens (see repositories/devices.ts). */
  async removeToken(appId: string, token: string): Promise<void> {
    await this.db.transaction(
      (tx) => removeMatchedToken(tx, { appId, token, provider: null, userId: null }),
      {
        serializable: true,
      },
    );
  }
}
