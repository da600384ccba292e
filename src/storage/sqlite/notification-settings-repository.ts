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
import { notificationSettings } from "./schema/index.js";
import type { SqliteDb } from "./sqlite-store.js";

const primaryKey = [
  notificationSettings.appId,
  notificationSettings.userId,
  notificationSettings.scope,
  notificationSettings.scopeId,
];

export class SqliteNotificationSettingsRepository implements NotificationSettingsRepository {
  constructor(private readonly db: SqliteDb) {}

  async userSettings(appId: string, userId: string): Promise<UserNotificationSettings> {
    const rows = this.db
      .select()
      .from(notificationSettings)
      .where(
        and(
          eq(notificationSettings.appId, appId),
          eq(notificationSettings.userId, userId),
          inArray(notificationSettings.scope, ["user", "module"]),
        ),
      )
      .all();
    return toUserSettings(rows);
  }

  async changeUserSettings(
    appId: string,
    userId: string,
    change: UserSettingsChange,
  ): Promise<UserNotificationSettings> {
    this.db.transaction((tx) => {
      if (change.enabled !== undefined) {
        tx.insert(notificationSettings)
          .values(userSettingRow(appId, userId, change.enabled))
          .onConflictDoUpdate({ target: primaryKey, set: { enabled: change.enabled } })
          .run();
      }
      for (const moduleChange of change.modules ?? []) {
        const write = moduleSettingWrite(appId, userId, moduleChange);
        if (!write) continue;
        tx.insert(notificationSettings)
          .values(write.row)
          .onConflictDoUpdate({ target: primaryKey, set: write.changed })
          .run();
      }
    });
    return this.userSettings(appId, userId);
  }

  async channelEnabled(appId: string, userId: string, channelId: string): Promise<boolean> {
    const row = this.db
      .select({ enabled: notificationSettings.enabled })
      .from(notificationSettings)
      .where(
        and(
          eq(notificationSettings.appId, appId),
          eq(notificationSettings.userId, userId),
          eq(notificationSettings.scope, "channel"),
          eq(notificationSettings.scopeId, channelId),
        ),
      )
      .get();
    return row?.enabled ?? true;
  }

  async setChannelEnabled(appId: string, userId: string, channelId: string, enabled: boolean): Promise<void> {
    this.db
      .insert(notificationSettings)
      .values(channelSettingRow(appId, userId, channelId, enabled))
      .onConflictDoUpdate({ target: primaryKey, set: { enabled } })
      .run();
  }
}
