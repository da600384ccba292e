import { and, eq, inArray } from "drizzle-orm";
import type {
  UserNotificationSettings,
  UserSettingsChange,
} from "../../domain/notification-settings/notification-settings.js";
import type { NotificationSettingsRepository } from "../../domain/notification-settings/notification-settings-repository.js";
import {
  channelSettingRow,
  moduleSettingWrite,
  toUserSettings,
  userSettingRow,
} from "../mapping/notification-settings.js";
import type { PostgresDb } from "./postgres-store.js";
import { notificationSettings } from "./schema/index.js";
import { serializable } from "./serializable.js";

const primaryKey = [
  notificationSettings.appId,
  notificationSettings.userId,
  notificationSettings.scope,
  notificationSettings.scopeId,
];

export class PostgresNotificationSettingsRepository implements NotificationSettingsRepository {
  constructor(private readonly db: PostgresDb) {}

  async userSettings(appId: string, userId: string): Promise<UserNotificationSettings> {
    const rows = await this.db
      .select()
      .from(notificationSettings)
      .where(
        and(
          eq(notificationSettings.appId, appId),
          eq(notificationSettings.userId, userId),
          inArray(notificationSettings.scope, ["user", "module"]),
        ),
      );
    return toUserSettings(rows);
  }

  /** Serializable: two changes of one user's settings apply one after the other, never interleaved. */
  async changeUserSettings(
    appId: string,
    userId: string,
    change: UserSettingsChange,
  ): Promise<UserNotificationSettings> {
    await serializable(this.db, async (tx) => {
      if (change.enabled !== undefined) {
        await tx
          .insert(notificationSettings)
          .values(userSettingRow(appId, userId, change.enabled))
          .onConflictDoUpdate({ target: primaryKey, set: { enabled: change.enabled } });
      }
      for (const moduleChange of change.modules ?? []) {
        const write = moduleSettingWrite(appId, userId, moduleChange);
        if (!write) continue;
        await tx
          .insert(notificationSettings)
          .values(write.row)
          .onConflictDoUpdate({ target: primaryKey, set: write.changed });
      }
    });
    return this.userSettings(appId, userId);
  }

  async channelEnabled(appId: string, userId: string, channelId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ enabled: notificationSettings.enabled })
      .from(notificationSettings)
      .where(
        and(
          eq(notificationSettings.appId, appId),
          eq(notificationSettings.userId, userId),
          eq(notificationSettings.scope, "channel"),
          eq(notificationSettings.scopeId, channelId),
        ),
      );
    return row?.enabled ?? true;
  }

  async setChannelEnabled(appId: string, userId: string, channelId: string, enabled: boolean): Promise<void> {
    await this.db
      .insert(notificationSettings)
      .values(channelSettingRow(appId, userId, channelId, enabled))
      .onConflictDoUpdate({ target: primaryKey, set: { enabled } });
  }
}
