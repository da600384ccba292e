import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { RoleFilter } from "../../../domain/notification-settings/notification-settings.js";
import { apps } from "./apps.js";

/**
 * The user and channel toggles that differ from, or were once set to, their default.
 * One row per (user, scope): the user's global switch, a module, or a channel.
 */
export const notificationSettings = sqliteTable(
  "notification_settings",
  {
    appId: text("app_id")
      .notNull()
      .references(() => apps.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    scope: text("scope", { enum: ["user", "module", "channel"] }).notNull(),
    /** "" for the user scope, else the module name or the channel id. */
    scopeId: text("scope_id").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    /** Module scope only. */
    roleFilter: text("role_filter", { mode: "json" }).$type<RoleFilter>(),
  },
  (table) => [primaryKey({ columns: [table.appId, table.userId, table.scope, table.scopeId] })],
);
