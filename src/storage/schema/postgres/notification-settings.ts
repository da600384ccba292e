import { boolean, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import type { RoleFilter } from "../../../domain/notification-settings/notification-settings.js";
import { apps } from "./apps.js";

/**
 * The user and channel toggles that differ from, or were once set to, their default.
 * One row per (user, scope): the user's global switch, a module, or a channel.
 */
export const notificationSettings = pgTable(
  "notification_settings",
  {
    appId: text("app_id")
      .notNull()
      .references(() => apps.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    scope: text("scope", { enum: ["user", "module", "channel"] }).notNull(),
    /** "" for the user scope, else the module name or the channel id. */
    scopeId: text("scope_id").notNull(),
    enabled: boolean("enabled").notNull(),
    /** Module scope only. */
    roleFilter: jsonb("role_filter").$type<RoleFilter>(),
  },
  (table) => [primaryKey({ columns: [table.appId, table.userId, table.scope, table.scopeId] })],
);
