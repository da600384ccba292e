import { sql } from "drizzle-orm";
import {
  defaultModuleSettings,
  notificationModules,
  type RoleFilter,
  type UserNotificationSettings,
  type UserSettingsChange,
} from "../../domain/notification-settings/notification-settings.js";
import type { NotificationSettingsRepository } from "../../domain/notification-settings/notification-settings-repository.js";
import type { SqlDatabase } from "../sql/database.js";
import { statement } from "../sql/statement.js";
import { readBoolean, readJson } from "../sql/values.js";

/**
 * What a `notification_settings` row toggles: the user's global switch, a module, or a
 * channel. Only toggles once set are stored; the others are at their default.
 */
export type SettingScope = "user" | "module" | "channel";

/** A user or module row, as written by a change: the columns the change leaves out at their default. */
interface SettingWrite {
  scope: SettingScope;
  /** "" for the user scope, else the module name. */
  scope_id: string;
  enabled: boolean;
  role_filter: RoleFilter;
}

const findUserAndModuleRows = statement<
  { appId: string; userId: string },
  { scope: SettingScope; scope_id: string; enabled: unknown; role_filter: unknown }
>(
  "notification_settings.find_user_and_modules",
  (p) => sql`select scope, scope_id, enabled, role_filter from notification_settings
    where app_id = ${p.appId} and user_id = ${p.userId} and scope in ('user', 'module')`,
);

/**
 * Every row a change names, in one upsert. A new row takes the change with the rest at its
 * default; an existing one takes only the columns the change names (listed by `scope_id`,
 * which tells the user row and the module rows apart) and keeps the others as they are at
 * the moment of writing — the upsert reads the row it locks, so a concurrent change of
 * other columns is never undone, and no transaction is needed.
 */
const upsertUserAndModuleRows = statement<{
  appId: string;
  userId: string;
  /** JSON of `SettingWrite[]`. */
  rowsJson: string;
  enabledNamedFor: string[];
  roleFilterNamedFor: string[];
}>(
  "notification_settings.upsert_user_and_modules",
  (p, d) => sql`insert into notification_settings (app_id, user_id, scope, scope_id, enabled, role_filter)
    select cast(${p.appId} as text), cast(${p.userId} as text), r.scope, r.scope_id, r.enabled, r.role_filter
    from ${d.jsonRows(p.rowsJson, { scope: "text", scope_id: "text", enabled: "boolean", role_filter: "json" })} as r
    -- SQLite reads an ON after a bare FROM as a join's; the WHERE ends the SELECT.
    where true
    on conflict (app_id, user_id, scope, scope_id) do update set
      enabled = case when excluded.scope_id in ${d.list(p.enabledNamedFor)}
        then excluded.enabled else notification_settings.enabled end,
      role_filter = case when excluded.scope_id in ${d.list(p.roleFilterNamedFor)}
        then excluded.role_filter else notification_settings.role_filter end`,
);

const findChannelEnabled = statement<
  { appId: string; userId: string; channelId: string },
  { enabled: unknown }
>(
  "notification_settings.find_channel",
  (p) => sql`select enabled from notification_settings
    where app_id = ${p.appId} and user_id = ${p.userId} and scope = 'channel' and scope_id = ${p.channelId}`,
);

const upsertChannelEnabled = statement<{
  appId: string;
  userId: string;
  channelId: string;
  enabled: boolean;
}>(
  "notification_settings.upsert_channel",
  (p) => sql`insert into notification_settings (app_id, user_id, scope, scope_id, enabled)
    values (${p.appId}, ${p.userId}, 'channel', ${p.channelId}, ${p.enabled})
    on conflict (app_id, user_id, scope, scope_id) do update set enabled = excluded.enabled`,
);

/** What a change writes, one row per scope it names. */
interface UpsertPlan {
  rows: SettingWrite[];
  enabledNamedFor: string[];
  roleFilterNamedFor: string[];
}

/**
 * The rows in a fixed order (the user's, then the modules in `notificationModules` order), so
 * that concurrent changes lock the rows they share in the same order and cannot deadlock.
 * A module named twice takes what its last entries name, as if applied one after the other.
 */
function upsertPlan(change: UserSettingsChange): UpsertPlan {
  const plan: UpsertPlan = { rows: [], enabledNamedFor: [], roleFilterNamedFor: [] };
  if (change.enabled !== undefined) {
    plan.rows.push({ scope: "user", scope_id: "", enabled: change.enabled, role_filter: null });
    plan.enabledNamedFor.push("");
  }
  for (const module of notificationModules) {
    const entries = (change.modules ?? []).filter((entry) => entry.module === module);
    const enabled = entries.findLast((entry) => entry.enabled !== undefined)?.enabled;
    const roleFilter = entries.findLast((entry) => entry.roleFilter !== undefined)?.roleFilter;
    if (enabled === undefined && roleFilter === undefined) continue;
    const defaults = defaultModuleSettings(module);
    plan.rows.push({
      scope: "module",
      scope_id: module,
      enabled: enabled ?? defaults.enabled,
      role_filter: roleFilter === undefined ? defaults.roleFilter : roleFilter,
    });
    if (enabled !== undefined) plan.enabledNamedFor.push(module);
    if (roleFilter !== undefined) plan.roleFilterNamedFor.push(module);
  }
  return plan;
}

export class SqlNotificationSettingsRepository implements NotificationSettingsRepository {
  constructor(private readonly db: SqlDatabase) {}

  async userSettings(appId: string, userId: string): Promise<UserNotificationSettings> {
    const rows = await this.db.all(findUserAndModuleRows, { appId, userId });
    const stored = (scope: SettingScope, scopeId: string) =>
      rows.find((row) => row.scope === scope && row.scope_id === scopeId);
    const user = stored("user", "");
    return {
      enabled: user ? readBoolean(user.enabled) : true,
      modules: notificationModules.map((module) => {
        const row = stored("module", module);
        return row
          ? { module, enabled: readBoolean(row.enabled), roleFilter: readJson<RoleFilter>(row.role_filter) }
          : defaultModuleSettings(module);
      }),
    };
  }

  /** The settings read after the change; a change naming nothing writes nothing. */
  async changeUserSettings(
    appId: string,
    userId: string,
    change: UserSettingsChange,
  ): Promise<UserNotificationSettings> {
    const { rows, enabledNamedFor, roleFilterNamedFor } = upsertPlan(change);
    if (rows.length > 0) {
      await this.db.run(upsertUserAndModuleRows, {
        appId,
        userId,
        rowsJson: JSON.stringify(rows),
        enabledNamedFor,
        roleFilterNamedFor,
      });
    }
    return this.userSettings(appId, userId);
  }

  async channelEnabled(appId: string, userId: string, channelId: string): Promise<boolean> {
    const row = await this.db.get(findChannelEnabled, { appId, userId, channelId });
    return row ? readBoolean(row.enabled) : true;
  }

  async setChannelEnabled(appId: string, userId: string, channelId: string, enabled: boolean): Promise<void> {
    await this.db.run(upsertChannelEnabled, { appId, userId, channelId, enabled });
  }
}
