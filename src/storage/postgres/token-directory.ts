import { and, eq } from "drizzle-orm";
import type { RecipientToken, TokenDirectory } from "../../domain/audience/audience.js";
import { pickColumns } from "../mapping/columns.js";
import { recipientTokenKeys } from "../mapping/devices.js";
import { isAnyOf } from "./any-of.js";
import { removeDevicesWithoutTokens } from "./device-cleanup.js";
import type { PostgresDb } from "./postgres-store.js";
import { deviceSyncUsers, devices, deviceTokens } from "./schema/index.js";
import { serializable } from "./serializable.js";

const tokenColumns = pickColumns(deviceTokens, recipientTokenKeys);

export class PostgresTokenDirectory implements TokenDirectory {
  constructor(private readonly db: PostgresDb) {}

  /** One statement for the whole batch: the owners' tokens and the sync-bound users' tokens. */
  async tokensOf(appId: string, userIds: string[]): Promise<RecipientToken[]> {
    if (userIds.length === 0) return [];
    const users = [...new Set(userIds)];
    const owned = this.db
      .select({ userId: devices.userId, ...tokenColumns })
      .from(deviceTokens)
      .innerJoin(devices, eq(devices.id, deviceTokens.deviceId))
      .where(and(eq(devices.appId, appId), isAnyOf(devices.userId, users)));
    const synced = this.db
      .select({ userId: deviceSyncUsers.userId, ...tokenColumns })
      .from(deviceSyncUsers)
      .innerJoin(deviceTokens, eq(deviceTokens.deviceId, deviceSyncUsers.deviceId))
      .where(and(eq(deviceSyncUsers.appId, appId), isAnyOf(deviceSyncUsers.userId, users)));
    return owned.unionAll(synced);
  }

  async removeToken(appId: string, token: string): Promise<void> {
    await serializable(this.db, async (tx) => {
      const removed = await tx
        .delete(deviceTokens)
        .where(and(eq(deviceTokens.appId, appId), eq(deviceTokens.token, token)))
        .returning({ deviceId: deviceTokens.deviceId });
      await removeDevicesWithoutTokens(
        tx,
        removed.map((row) => row.deviceId),
      );
    });
  }
}
