import { and, eq, inArray, sql } from "drizzle-orm";
import type { RecipientToken, TokenDirectory } from "../../domain/audience/audience.js";
import { pickColumns } from "../mapping/columns.js";
import { recipientTokenKeys } from "../mapping/devices.js";
import { removeDevicesWithoutTokens } from "./device-cleanup.js";
import { jsonListPlaceholder } from "./json-list.js";
import { deviceSyncUsers, devices, deviceTokens } from "./schema/index.js";
import type { SqliteDb } from "./sqlite-store.js";

const tokenColumns = pickColumns(deviceTokens, recipientTokenKeys);

/** One statement for a whole batch: the owners' tokens and the sync-bound users' tokens. */
function tokensOfUsers(db: SqliteDb) {
  const appId = sql.placeholder("appId");
  const users = jsonListPlaceholder("users");
  const owned = db
    .select({ userId: devices.userId, ...tokenColumns })
    .from(deviceTokens)
    .innerJoin(devices, eq(devices.id, deviceTokens.deviceId))
    .where(and(eq(devices.appId, appId), inArray(devices.userId, users)));
  const synced = db
    .select({ userId: deviceSyncUsers.userId, ...tokenColumns })
    .from(deviceSyncUsers)
    .innerJoin(deviceTokens, eq(deviceTokens.deviceId, deviceSyncUsers.deviceId))
    .where(and(eq(deviceSyncUsers.appId, appId), inArray(deviceSyncUsers.userId, users)));
  return owned.unionAll(synced).prepare();
}

export class SqliteTokenDirectory implements TokenDirectory {
  private readonly tokensOfStatement;

  constructor(private readonly db: SqliteDb) {
    this.tokensOfStatement = tokensOfUsers(db);
  }

  async tokensOf(appId: string, userIds: string[]): Promise<RecipientToken[]> {
    if (userIds.length === 0) return [];
    return this.tokensOfStatement.all({ appId, users: JSON.stringify([...new Set(userIds)]) });
  }

  async removeToken(appId: string, token: string): Promise<void> {
    this.db.transaction(
      (tx) => {
        const removed = tx
          .delete(deviceTokens)
          .where(and(eq(deviceTokens.appId, appId), eq(deviceTokens.token, token)))
          .returning({ deviceId: deviceTokens.deviceId })
          .all();
        removeDevicesWithoutTokens(
          tx,
          removed.map((row) => row.deviceId),
        );
      },
      { behavior: "immediate" },
    );
  }
}
