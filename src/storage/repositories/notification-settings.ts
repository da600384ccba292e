import { sql } from "drizzle-orm";
import {
  type ChannelLevel,
  type ChannelSettings,
  type ChannelSettingsChange,
  type ChannelSettingsEntry,
  defaultChannelSettings,
  defaultModuleSettings,
  notificationModules,
  type RoleFilter,
  type UserNotificationSettings,
  type UserSettingsChange,
} from "../../domain/notification-settings/notification-settings.js";
import type {
  ChannelPage,
  NotificationSettingsRepository,
} from "../../domain/notification-settings/notification-settings-repository.js";
import type { QuietHours } from "../../domain/notification-settings/quiet-hours.js";
import type { SqlDatabase } from "../sql/database.js";
import { statement } from "../sql/statement.js";
import { readBoolean, readJson, readOptionalTime } from "../sql/values.js";

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
  /** Epoch milliseconds; user row only. */
  snoozed_until: number | null;
  /** User row only. */
  quiet_hours: QuietHours | null;
  /** User row only. */
  locale: string | null;
}

const findUserAndModuleRows = statement<
  { appId: string; userId: string },
  {
    scope: SettingScope;
    scope_id: string;
    enabled: unknown;
    role_filter: unknown;
    snoozed_until: unknown;
    quiet_hours: unknown;
    locale: string | null;
  }
>(
  "notification_settings.find_user_and_modules",
  (
    p,
  ) => sql`select scope, scope_id, enabled, role_filter, snoozed_until, quiet_hours, locale from notification_settings
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
  /** [""] when the change names the snooze, else []: the user row's `scope_id`. */
  snoozeNamedFor: string[];
  quietHoursNamedFor: string[];
  localeNamedFor: string[];
}>(
  "notification_settings.upsert_user_and_modules",
  (p, d) => sql`insert into notification_settings
      (app_id, user_id, scope, scope_id, enabled, role_filter, snoozed_until, quiet_hours, locale)
    select cast(${p.appId} as text), cast(${p.userId} as text), r.scope, r.scope_id, r.enabled, r.role_filter,
      r.snoozed_until, r.quiet_hours, r.locale
    from ${d.jsonRows(p.rowsJson, {
      scope: "text",
      scope_id: "text",
      enabled: "boolean",
      role_filter: "json",
      snoozed_until: "time",
      quiet_hours: "json",
      locale: "text",
    })} as r
    -- SQLite reads an ON after a bare FROM as a join's; the WHERE ends the SELECT.
    where true
    on conflict (app_id, user_id, scope, scope_id) do update set
      enabled = case when excluded.scope_id in ${d.list(p.enabledNamedFor)}
        then excluded.enabled else notification_settings.enabled end,
      role_filter = case when excluded.scope_id in ${d.list(p.roleFilterNamedFor)}
        then excluded.role_filter else notification_settings.role_filter end,
      snoozed_until = case when excluded.scope_id in ${d.list(p.snoozeNamedFor)}
        then excluded.snoozed_until else notification_settings.snoozed_until end,
      quiet_hours = case when excluded.scope_id in ${d.list(p.quietHoursNamedFor)}
        then excluded.quiet_hours else notification_settings.quiet_hours end,
      locale = case when excluded.scope_id in ${d.list(p.localeNamedFor)}
        then excluded.locale else notification_settings.locale end`,
);

interface ChannelRow {
  level: ChannelLevel;
  muted_until: unknown;
}

const findChannel = statement<{ appId: string; userId: string; channelId: string }, ChannelRow>(
  "notification_settings.find_channel",
  (p) => sql`select level, muted_until from notification_settings
    where app_id = ${p.appId} and user_id = ${p.userId} and scope = 'channel' and scope_id = ${p.channelId}`,
);

/**
 * A channel's row after a change: a new row takes what the change names with the rest at its
 * default, an existing one only what the change names, in one statement (as the user row's).
 */
const upsertChannel = statement<
  {
    appId: string;
    userId: string;
    channelId: string;
    level: ChannelLevel;
    mutedUntil: Date | null;
    levelNamed: boolean;
    muteNamed: boolean;
  },
  ChannelRow
>(
  "notification_settings.upsert_channel",
  (
    p,
    d,
  ) => sql`insert into notification_settings (app_id, user_id, scope, scope_id, enabled, level, muted_until)
    values (${p.appId}, ${p.userId}, 'channel', ${p.channelId}, ${p.level} <> 'none', ${p.level}, ${d.time(p.mutedUntil)})
    on conflict (app_id, user_id, scope, scope_id) do update set
      level = case when ${p.levelNamed} then excluded.level else notification_settings.level end,
      enabled = case when ${p.levelNamed} then excluded.enabled else notification_settings.enabled end,
      muted_until = case when ${p.muteNamed} then excluded.muted_until else notification_settings.muted_until end
    returning level, muted_until`,
);

const findChannelsApartFromDefault = statement<
  { appId: string; userId: string; at: Date; after: string | null; limit: number },
  ChannelRow & { channel_id: string }
>(
  "notification_settings.find_channels_apart_from_default",
  (p, d) => sql`select scope_id as channel_id, level, muted_until from notification_settings
    where app_id = ${p.appId} and user_id = ${p.userId} and scope = 'channel'
      and (level <> 'all' or muted_until > ${d.time(p.at)})
      and (cast(${p.after} as text) is null or scope_id > ${p.after})
    order by scope_id
    limit ${p.limit}`,
);

function toChannelSettings(row: ChannelRow): ChannelSettings {
  return { level: row.level, mutedUntil: readOptionalTime(row.muted_until) };
}

/** What a change writes, one row per scope it names. */
interface UpsertPlan {
  rows: SettingWrite[];
  enabledNamedFor: string[];
  roleFilterNamedFor: string[];
  snoozeNamedFor: string[];
  quietHoursNamedFor: string[];
  localeNamedFor: string[];
}

/**
 * The rows in a fixed order (the user's, then the modules in `notificationModules` order), so
 * that concurrent changes lock the rows they share in the same order and cannot deadlock.
 * A module named twice takes what its last entries name, as if applied one after the other.
 */
function upsertPlan(change: UserSettingsChange): UpsertPlan {
  const plan: UpsertPlan = {
    rows: [],
    enabledNamedFor: [],
    roleFilterNamedFor: [],
    snoozeNamedFor: [],
    quietHoursNamedFor: [],
    localeNamedFor: [],
  };
  const { enabled, snoozedUntil, quietHours, locale } = change;
  if (
    enabled !== undefined ||
    snoozedUntil !== undefined ||
    quietHours !== undefined ||
    locale !== undefined
  ) {
    plan.rows.push({
      scope: "user",
      scope_id: "",
      enabled: enabled ?? true,
      role_filter: null,
      snoozed_until: snoozedUntil?.getTime() ?? null,
      quiet_hours: quietHours ?? null,
      locale: locale ?? null,
    });
    if (enabled !== undefined) plan.enabledNamedFor.push("");
    if (snoozedUntil !== undefined) plan.snoozeNamedFor.push("");
    if (quietHours !== undefined) plan.quietHoursNamedFor.push("");
    if (locale !== undefined) plan.localeNamedFor.push("");
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
      snoozed_until: null,
      quiet_hours: null,
      locale: null,
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
      snoozedUntil: readOptionalTime(user?.snoozed_until),
      quietHours: user ? readJson<QuietHours | null>(user.quiet_hours) : null,
      locale: user?.locale ?? null,
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
    const { rows, ...named } = upsertPlan(change);
    if (rows.length > 0) {
      await this.db.run(upsertUserAndModuleRows, { appId, userId, rowsJson: JSON.stringify(rows), ...named });
    }
    return this.userSettings(appId, userId);
  }

  async channelSettings(appId: string, userId: string, channelId: string): Promise<ChannelSettings> {
    const row = await this.db.get(findChannel, { appId, userId, channelId });
    return row ? toChannelSettings(row) : defaultChannelSettings;
  }

  async changeChannelSettings(
    appId: string,
    userId: string,
    channelId: string,
    change: ChannelSettingsChange,
  ): Promise<ChannelSettings> {
    if (change.level === undefined && change.mutedUntil === undefined) {
      return this.channelSettings(appId, userId, channelId);
    }
    const row = await this.db.get(upsertChannel, {
      appId,
      userId,
      channelId,
      level: change.level ?? defaultChannelSettings.level,
      mutedUntil: change.mutedUntil ?? null,
      levelNamed: change.level !== undefined,
      muteNamed: change.mutedUntil !== undefined,
    });
    return toChannelSettings(row as ChannelRow);
  }

  async channelsApartFromDefault(
    appId: string,
    userId: string,
    at: Date,
    page: ChannelPage,
  ): Promise<ChannelSettingsEntry[]> {
    const rows = await this.db.all(findChannelsApartFromDefault, {
      appId,
      userId,
      at,
      after: page.after ?? null,
      limit: page.limit,
    });
    return rows.map((row) => ({ channelId: row.channel_id, ...toChannelSettings(row) }));
  }
}
