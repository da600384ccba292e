import { boolean, index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { platforms, tokenProviders } from "../../../domain/devices/device.js";
import { apps } from "./apps.js";
import { timestamptz } from "./columns.js";
import { sessions } from "./sessions.js";

/** A device and the one user it belongs to (last registration wins). */
export const devices = pgTable(
  "devices",
  {
    id: text("id").primaryKey(),
    appId: text("app_id")
      .notNull()
      .references(() => apps.id, { onDelete: "cascade" }),
    /** The client's `device_id`; null for a device identified by its push token. */
    clientDeviceId: text("client_device_id"),
    userId: text("user_id").notNull(),
    /** The session of the last registration; an expired session purged leaves the device in place. */
    sessionId: text("session_id").references(() => sessions.id, { onDelete: "set null" }),
    createdAt: timestamptz("created_at").notNull(),
    updatedAt: timestamptz("updated_at").notNull(),
  },
  (table) => [
    uniqueIndex("devices_client_device_id_unique").on(table.appId, table.clientDeviceId),
    index("devices_app_user").on(table.appId, table.userId),
    index("devices_session").on(table.sessionId),
  ],
);

/**
 * Push tokens: the primary key makes a token belong to at most one device of an app,
 * the unique slot index gives a device at most one regular and one VoIP token.
 */
export const deviceTokens = pgTable(
  "device_tokens",
  {
    appId: text("app_id").notNull(),
    token: text("token").notNull(),
    deviceId: text("device_id")
      .notNull()
      .references(() => devices.id, { onDelete: "cascade" }),
    provider: text("provider", { enum: tokenProviders }).notNull(),
    platform: text("platform", { enum: platforms }).notNull(),
    voip: boolean("voip").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.appId, table.token] }),
    uniqueIndex("device_tokens_device_slot_unique").on(table.deviceId, table.voip),
  ],
);

/** Further users a device serves, bound with sync tokens (SPEC §5.4). */
export const deviceSyncUsers = pgTable(
  "device_sync_users",
  {
    deviceId: text("device_id")
      .notNull()
      .references(() => devices.id, { onDelete: "cascade" }),
    appId: text("app_id").notNull(),
    userId: text("user_id").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.deviceId, table.userId] }),
    index("device_sync_users_app_user").on(table.appId, table.userId),
  ],
);
