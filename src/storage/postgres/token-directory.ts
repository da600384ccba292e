import { and, eq, sql } from "drizzle-orm";
import type { RecipientToken, TokenDirectory } from "../../domain/audience/audience.js";
import { pickColumns } from "../mapping/columns.js";
import { recipientTokenKeys } from "../mapping/devices.js";
import { isAnyOfPlaceholder } from "./any-of.js";
import { removeDevicesWithoutTokens } from "./device-cleanup.js";
import type { PostgresDb } from "./postgres-store.js";
import { deviceSyncUsers, devices, deviceTokens } from "./schema/index.js";
import { serializable } from "./serializable.js";

const tokenColumns = pickColumns(deviceTokens, recipientTokenKeys);

/** One statement for a whole batch: the owners' tokens and the sync-bound users' tokens. */
function tokensOfUsers(db: PostgresDb) {
  const appId = sql.placeholder("appId");
  const owned = db
    .select({ userId: devices.userId, ...tokenColumns })
    .from(deviceTokens)
    .innerJoin(devices, eq(devices.id, deviceTokens.deviceId))
    .where(and(eq(devices.appId, appId), isAnyOfPlaceholder(devices.userId, "users")));
  const synced = db
    .select({ userId: deviceSyncUsers.userId, ...tokenColumns })
    .from(deviceSyncUsers)
    .innerJoin(deviceTokens, eq(deviceTokens.deviceId, deviceSyncUsers.deviceId))
    .where(and(eq(deviceSyncUsers.appId, appId), isAnyOfPlaceholder(deviceSyncUsers.userId, "users")));
  return owned.unionAll(synced).prepare("tokens_of_users");
}

export class PostgresTokenDirectory implements TokenDirectory {
  private readonly tokensOfStatement;

  constructor(private readonly db: PostgresDb) {
    this.tokensOfStatement = tokensOfUsers(db);
  }

  async tokensOf(appId: string, userIds: string[]): Promise<RecipientToken[]> {
    if (userIds.length === 0) return [];
    return this.tokensOfStatement.execute({ appId, users: [...new Set(userIds)] });
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
