import { and, eq, inArray } from "drizzle-orm";
import {
  defaultModuleSettings,
  notificationModules,
  type UserNotificationSettings,
  type UserSettingsChange,
} from "../../domain/notification-settings/notification-settings.js";
import type { NotificationSettingsRepository } from "../../domain/notification-settings/notification-settings-repository.js";
import type { PostgresDb } from "./postgres-store.js";
import { notificationSettings } from "./schema/index.js";
import { serializable } from "./serializable.js";

type SettingRow = typeof notificationSettings.$inferInsert;

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
    const stored = (scope: SettingRow["scope"], scopeId: string) =>
      rows.find((row) => row.scope === scope && row.scopeId === scopeId);
    return {
      enabled: stored("user", "")?.enabled ?? true,
      modules: notificationModules.map((module) => {
        const row = stored("module", module);
        return row
          ? { module, enabled: row.enabled, roleFilter: row.roleFilter }
          : defaultModuleSettings(module);
      }),
    };
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
          .values({ appId, userId, scope: "user", scopeId: "", enabled: change.enabled })
          .onConflictDoUpdate({ target: primaryKey, set: { enabled: change.enabled } });
      }
      for (const { module, enabled, roleFilter } of change.modules ?? []) {
        const defaults = defaultModuleSettings(module);
        const changed: Partial<SettingRow> = {};
        if (enabled !== undefined) changed.enabled = enabled;
        if (roleFilter !== undefined) changed.roleFilter = roleFilter;
        if (Object.keys(changed).length === 0) continue;
        await tx
          .insert(notificationSettings)
          .values({
            appId,
            userId,
            scope: "module",
            scopeId: module,
            enabled: defaults.enabled,
            roleFilter: null,
            ...changed,
          })
          .onConflictDoUpdate({ target: primaryKey, set: changed });
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
      .values({ appId, userId, scope: "channel", scopeId: channelId, enabled })
      .onConflictDoUpdate({ target: primaryKey, set: { enabled } });
  }
}
