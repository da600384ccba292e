import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { apps } from "./apps.js";
import { timestamptz } from "./columns.js";

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    appId: text("app_id")
      .notNull()
      .references(() => apps.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    /** SHA-256 of the `sess_…` token: the token itself is never stored. */
    tokenDigest: text("token_digest").notNull(),
    clientDeviceId: text("client_device_id"),
    createdAt: timestamptz("created_at").notNull(),
    expiresAt: timestamptz("expires_at").notNull(),
  },
  (table) => [
    uniqueIndex("sessions_token_digest_unique").on(table.tokenDigest),
    index("sessions_expires_at").on(table.expiresAt),
  ],
);
