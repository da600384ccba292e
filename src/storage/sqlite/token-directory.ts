import { and, eq, inArray } from "drizzle-orm";
import type { RecipientToken, TokenDirectory } from "../../domain/audience/audience.js";
import { pickColumns } from "../mapping/columns.js";
import { recipientTokenKeys } from "../mapping/devices.js";
import { removeDevicesWithoutTokens } from "./device-cleanup.js";
import { jsonList } from "./json-list.js";
import { deviceSyncUsers, devices, deviceTokens } from "./schema/index.js";
import type { SqliteDb } from "./sqlite-store.js";

const tokenColumns = pickColumns(deviceTokens, recipientTokenKeys);

export class SqliteTokenDirectory implements TokenDirectory {
  constructor(private readonly db: SqliteDb) {}

  /** One statement for the whole batch: the owners' tokens and the sync-bound users' tokens. */
  async tokensOf(appId: string, userIds: string[]): Promise<RecipientToken[]> {
    if (userIds.length === 0) return [];
    const users = jsonList([...new Set(userIds)]);
    const owned = this.db
      .select({ userId: devices.userId, ...tokenColumns })
      .from(deviceTokens)
      .innerJoin(devices, eq(devices.id, deviceTokens.deviceId))
      .where(and(eq(devices.appId, appId), inArray(devices.userId, users)));
    const synced = this.db
      .select({ userId: deviceSyncUsers.userId, ...tokenColumns })
      .from(deviceSyncUsers)
      .innerJoin(deviceTokens, eq(deviceTokens.deviceId, deviceSyncUsers.deviceId))
      .where(and(eq(deviceSyncUsers.appId, appId), inArray(deviceSyncUsers.userId, users)));
    return owned.unionAll(synced).all();
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
