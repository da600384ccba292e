import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const apps = sqliteTable(
  "apps",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    mode: text("mode", { enum: ["direct", "webhook"] }).notNull(),
    pushEnabled: integer("push_enabled", { mode: "boolean" }).notNull(),
    requireAuthToken: integer("require_auth_token", { mode: "boolean" }).notNull(),
    notificationTtlSeconds: integer("notification_ttl_seconds").notNull(),
    apiKey: text("api_key").notNull(),
    webhookUrl: text("webhook_url"),
    webhookTimeoutMs: integer("webhook_timeout_ms"),
    webhookFallback: text("webhook_fallback", { enum: ["drop", "send"] }),
    /** Sealed (SecretBox) JSON of the FCM service account. */
    fcmServiceAccountSealed: text("fcm_service_account_sealed"),
    fcmProjectId: text("fcm_project_id"),
    apnsTeamId: text("apns_team_id"),
    apnsKeyId: text("apns_key_id"),
    apnsBundleId: text("apns_bundle_id"),
    /** Sealed (SecretBox) PEM of the APNs p8 key. */
    apnsPrivateKeySealed: text("apns_private_key_sealed"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [uniqueIndex("apps_api_key_unique").on(table.apiKey)],
);

/**
 * Rotatable app secrets. The current one has no `expires_at`; a rotated-out one keeps
 * working until its `expires_at`.
 */
export const appSecrets = sqliteTable(
  "app_secrets",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    appId: text("app_id")
      .notNull()
      .references(() => apps.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["server_key", "event_secret", "webhook_secret"] }).notNull(),
    /** SHA-256 of the secret: how a presented server key finds its app. */
    digest: text("digest").notNull(),
    sealed: text("sealed").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
  },
  (table) => [
    uniqueIndex("app_secrets_digest_unique").on(table.kind, table.digest),
    index("app_secrets_app_kind").on(table.appId, table.kind),
  ],
);
