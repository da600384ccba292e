import { type SQL, sql } from "drizzle-orm";
import { batchPerTurn } from "../../common/batch-per-turn.js";
import type {
  RecipientToken,
  TokenDirectory,
  TokenOwner,
  TokenOwners,
} from "../../domain/audience/audience.js";
import type { WebPushKeys } from "../../providers/push-provider.js";
import type { SqlDatabase } from "../sql/database.js";
import { statement } from "../sql/statement.js";
import { readBoolean, readJson } from "../sql/values.js";
import { removeMatchedToken } from "./devices.js";

interface RecipientTokenRow {
  user_id: string;
  provider: RecipientToken["provider"];
  token: string;
  platform: RecipientToken["platform"];
  voip: unknown;
  device_id: string;
  client_device_id: string | null;
  locale: string | null;
  push_keys: string | null;
  variant: string | null;
}

/** The language a recipient reads on a device: the device's, else that recipient's own (the user row). */
function recipientLocale(recipientUserId: SQL): SQL {
  return sql`coalesce(devices.locale, (select user_row.locale from notification_settings user_row
    where user_row.app_id = devices.app_id and user_row.user_id = ${recipientUserId}
      and user_row.scope = 'user' and user_row.scope_id = ''))`;
}

/** The owners' tokens, then the sync-bound users' tokens, of a whole batch of users: one statement. */
const tokensOfUsers = statement<{ appId: string; userIds: string[] }, RecipientTokenRow>(
  "token_directory.tokens_of_users",
  (
    p,
    d,
  ) => sql`select devices.user_id, t.provider, t.token, t.platform, t.voip, t.device_id, t.push_keys, devices.variant, devices.client_device_id,
      ${recipientLocale(sql`devices.user_id`)} as locale
    from device_tokens t join devices on devices.id = t.device_id
    where devices.app_id = ${p.appId} and devices.user_id in ${d.list(p.userIds)}
    union all
    select sync_user.user_id, t.provider, t.token, t.platform, t.voip, t.device_id, t.push_keys, devices.variant, devices.client_device_id,
      ${recipientLocale(sql`sync_user.user_id`)} as locale
    from device_sync_users sync_user join device_tokens t on t.device_id = sync_user.device_id
      join devices on devices.id = t.device_id
    where sync_user.app_id = ${p.appId} and sync_user.user_id in ${d.list(p.userIds)}`,
);

/** A device always has a token (one that loses its last is deleted): having a device is enough. */
const usersWithDevices = statement<{ appId: string; userIds: string[] }, { user_id: string }>(
  "token_directory.users_with_devices",
  (p, d) => sql`select user_id from devices where app_id = ${p.appId} and user_id in ${d.list(p.userIds)}
    union
    select user_id from device_sync_users where app_id = ${p.appId} and user_id in ${d.list(p.userIds)}`,
);

const ownerOfToken = statement<
  { appId: string; token: string },
  { user_id: string; client_device_id: string | null; provider: TokenOwner["provider"] }
>(
  "token_directory.owner_of_token",
  (p) => sql`select devices.user_id, devices.client_device_id, t.provider
    from device_tokens t join devices on devices.id = t.device_id
    where devices.app_id = ${p.appId} and t.token = ${p.token}
    limit 1`,
);

function toRecipientToken(row: RecipientTokenRow): RecipientToken {
  return {
    userId: row.user_id,
    provider: row.provider,
    token: row.token,
    platform: row.platform,
    voip: readBoolean(row.voip),
    deviceId: row.device_id,
    clientDeviceId: row.client_device_id,
    locale: row.locale,
    ...(row.push_keys !== null && { keys: readJson<WebPushKeys>(row.push_keys) }),
    ...(row.variant !== null && { variant: row.variant }),
  };
}

interface TokenRequest {
  appId: string;
  userIds: string[];
}

export class SqlTokenDirectory implements TokenDirectory, TokenOwners {
  private readonly tokensOfBatched: (request: TokenRequest) => Promise<RecipientToken[]>;

  constructor(private readonly db: SqlDatabase) {
    this.tokensOfBatched = batchPerTurn((requests: TokenRequest[]) => this.tokensOfMany(requests));
  }

  /** The lookups of one event-loop turn (the 1:1 events a worker sends at once) share a statement per app. */
  tokensOf(appId: string, userIds: string[]): Promise<RecipientToken[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return this.tokensOfBatched({ appId, userIds });
  }

  private async tokensOfMany(requests: TokenRequest[]): Promise<RecipientToken[][]> {
    const usersByApp = new Map<string, Set<string>>();
    for (const { appId, userIds } of requests) {
      const users = usersByApp.get(appId) ?? new Set<string>();
      for (const userId of userIds) users.add(userId);
      usersByApp.set(appId, users);
    }
    const tokensByApp = new Map(
      await Promise.all(
        [...usersByApp].map(async ([appId, users]) => {
          const rows = await this.db.all(tokensOfUsers, { appId, userIds: [...users] });
          const byUser = new Map<string, RecipientToken[]>();
          for (const token of rows.map(toRecipientToken)) {
            const owned = byUser.get(token.userId);
            if (owned) owned.push(token);
            else byUser.set(token.userId, [token]);
          }
          return [appId, byUser] as const;
        }),
      ),
    );
    return requests.map(({ appId, userIds }) => {
      const byUser = tokensByApp.get(appId);
      return [...new Set(userIds)].flatMap((userId) => byUser?.get(userId) ?? []);
    });
  }

  async usersWithTokens(appId: string, userIds: string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    const rows = await this.db.all(usersWithDevices, { appId, userIds: [...new Set(userIds)] });
    return rows.map((row) => row.user_id);
  }

  async ownerOf(appId: string, token: string): Promise<TokenOwner | null> {
    const row = await this.db.get(ownerOfToken, { appId, token });
    return row ? { userId: row.user_id, deviceId: row.client_device_id, provider: row.provider } : null;
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
