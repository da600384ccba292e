import { and, type Column, eq, or, type SQL, sql } from "drizzle-orm";
import type { AudienceDecision } from "../../domain/audience/audience.js";
import {
  type ApplicableToggles,
  defaultModuleSettings,
  notificationModules,
  type RoleFilter,
  suppressingToggle,
  type UserNotificationSettings,
  type UserSettingsChange,
} from "../../domain/notification-settings/notification-settings.js";

/** A `notification_settings` row, as both stores read it. */
export interface SettingRow {
  appId: string;
  userId: string;
  scope: "user" | "module" | "channel";
  /** "" for the user scope, else the module name or the channel id. */
  scopeId: string;
  enabled: boolean;
  /** Module scope only. */
  roleFilter: RoleFilter;
}

/** The columns the audience filter reads, in either store's `notification_settings`. */
export const applicableSettingKeys = ["userId", "scope", "enabled", "roleFilter"] as const;

/**
 * The rows that may stop a notification, for a prepared statement: the app's (`appId`) rows of
 * the recipients (`recipients`, each store binding the list its way), user-wide, of the module
 * (`module`), and of the channel (`channelId`) when there is one.
 */
export function applicableSettings(
  table: { appId: Column; scope: Column; scopeId: Column },
  recipients: SQL,
  withChannel: boolean,
): SQL | undefined {
  const { scope, scopeId } = table;
  return and(
    eq(table.appId, sql.placeholder("appId")),
    recipients,
    or(
      eq(scope, "user"),
      and(eq(scope, "module"), eq(scopeId, sql.placeholder("module"))),
      withChannel ? and(eq(scope, "channel"), eq(scopeId, sql.placeholder("channelId"))) : undefined,
    ),
  );
}

/** A row to write: `roleFilter` left out stays at the column's default. */
export type SettingWrite = Omit<SettingRow, "roleFilter"> & { roleFilter?: RoleFilter };

type ModuleChange = NonNullable<UserSettingsChange["modules"]>[number];

/** A user's settings from their stored user and module rows; what is not stored is at its default. */
export function toUserSettings(rows: Omit<SettingRow, "appId" | "userId">[]): UserNotificationSettings {
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

export function userSettingRow(appId: string, userId: string, enabled: boolean): SettingWrite {
  return { appId, userId, scope: "user", scopeId: "", enabled };
}

export function channelSettingRow(
  appId: string,
  userId: string,
  channelId: string,
  enabled: boolean,
): SettingWrite {
  return { appId, userId, scope: "channel", scopeId: channelId, enabled };
}

/**
 * The module row to insert (the unnamed columns at their default) and the columns to set
 * on an existing one; null when the change names nothing.
 */
export function moduleSettingWrite(
  appId: string,
  userId: string,
  { module, enabled, roleFilter }: ModuleChange,
): { row: SettingWrite; changed: Partial<SettingWrite> } | null {
  const defaults = defaultModuleSettings(module);
  const changed: Partial<SettingWrite> = {};
  if (enabled !== undefined) changed.enabled = enabled;
  if (roleFilter !== undefined) changed.roleFilter = roleFilter;
  if (Object.keys(changed).length === 0) return null;
  return {
    row: {
      appId,
      userId,
      scope: "module",
      scopeId: module,
      enabled: defaults.enabled,
      roleFilter: null,
      ...changed,
    },
    changed,
  };
}

/** Which recipients a notification reaches, from the rows of their toggles that bear on it. */
export function audienceDecision(
  actorRoles: string[],
  recipients: string[],
  rows: Pick<SettingRow, "userId" | "scope" | "enabled" | "roleFilter">[],
): AudienceDecision {
  const toggles = new Map<string, ApplicableToggles>();
  for (const row of rows) {
    const userToggles = toggles.get(row.userId) ?? {};
    if (row.scope === "module") userToggles.module = { enabled: row.enabled, roleFilter: row.roleFilter };
    else userToggles[row.scope] = row.enabled;
    toggles.set(row.userId, userToggles);
  }
  const decision: AudienceDecision = { allowed: [], suppressed: [], suppressedBy: {} };
  for (const userId of recipients) {
    const stoppedBy = suppressingToggle(toggles.get(userId) ?? {}, actorRoles);
    if (!stoppedBy) {
      decision.allowed.push(userId);
      continue;
    }
    decision.suppressed.push(userId);
    decision.suppressedBy[stoppedBy] = (decision.suppressedBy[stoppedBy] ?? 0) + 1;
  }
  return decision;
}
