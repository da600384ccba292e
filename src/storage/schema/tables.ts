/**
 * Every table, once, for both databases. drizzle-kit alone reads them (through sqlite.ts
 * and postgres.ts) to write the migrations; the repositories speak SQL of their own.
 */
import { badgeModes, otherEventsChoices, quietDeliveries, webhookDisablers } from "../../domain/apps/app.js";
import { platforms, tokenProviders } from "../../domain/devices/device.js";
import { channelLevels } from "../../domain/notification-settings/notification-settings.js";
import {
  autoIncrementId,
  boolean,
  defineTable,
  foreignKey,
  index,
  integer,
  json,
  jsonb,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "./spec.js";

export const apps = defineTable(
  "apps",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    mode: text("mode", { enum: ["direct", "webhook"] }).notNull(),
    pushEnabled: boolean("push_enabled").notNull(),
    requireAuthToken: boolean("require_auth_token").notNull(),
    notificationTtlSeconds: integer("notification_ttl_seconds").notNull(),
    quietDelivery: text("quiet_delivery", { enum: quietDeliveries }).notNull().default("drop"),
    badge: text("badge", { enum: badgeModes }).notNull().default("count"),
    burstWindowSeconds: integer("burst_window_seconds").notNull().default(0),
    /** The language of a recipient who has none, canonical BCP 47. */
    defaultLocale: text("default_locale").notNull().default("en"),
    apiKey: text("api_key").notNull(),
    webhookUrl: text("webhook_url"),
    webhookTimeoutMs: integer("webhook_timeout_ms"),
    webhookFallback: text("webhook_fallback", { enum: ["drop", "send"] }),
    /** JSON array of the event types forwarded; null: every type. */
    webhookEventTypes: text("webhook_event_types"),
    webhookOtherEvents: text("webhook_other_events", { enum: otherEventsChoices }),
    webhookDisableAfterFailures: integer("webhook_disable_after_failures"),
    /** `disable_after_minutes`, to the second. */
    webhookDisableAfterSeconds: integer("webhook_disable_after_seconds"),
    /** Set while the webhook is off (docs/api.md, "A webhook that protects itself"). */
    webhookDisabledAt: timestamp("webhook_disabled_at"),
    webhookDisabledReason: text("webhook_disabled_reason"),
    webhookDisabledBy: text("webhook_disabled_by", { enum: webhookDisablers }),
    /** Sealed (SecretBox) JSON of the FCM service account. */
    fcmServiceAccountSealed: text("fcm_service_account_sealed"),
    fcmProjectId: text("fcm_project_id"),
    apnsTeamId: text("apns_team_id"),
    apnsKeyId: text("apns_key_id"),
    apnsBundleId: text("apns_bundle_id"),
    /** Sealed (SecretBox) PEM of the APNs p8 key. */
    apnsPrivateKeySealed: text("apns_private_key_sealed"),
    /** Web Push (RFC 8292): the VAPID subject, the public key (base64url) and the sealed private key. */
    webpushSubject: text("webpush_subject"),
    webpushPublicKey: text("webpush_public_key"),
    webpushPrivateKeySealed: text("webpush_private_key_sealed"),
    /** Sealed (SecretBox) JSON of the app's variants by name: read and written only with the app. */
    variantsSealed: text("variants_sealed"),
    /** Where the app's status callbacks go (docs/api.md, Status callbacks); null: none. */
    statusCallbackUrl: text("status_callback_url"),
    /** JSON array of the callback event names the app wants. */
    statusCallbackEvents: text("status_callback_events"),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (table) => [uniqueIndex("apps_api_key_unique", table.apiKey)],
);

/**
 * Rotatable app secrets. The current one has no `expires_at`; a rotated-out one keeps
 * working until its `expires_at`.
 */
export const appSecrets = defineTable(
  "app_secrets",
  {
    id: autoIncrementId("id"),
    appId: text("app_id")
      .notNull()
      .references(() => apps.columns.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["server_key", "event_secret", "webhook_secret"] }).notNull(),
    /** SHA-256 of the secret: how a presented server key finds its app. */
    digest: text("digest").notNull(),
    sealed: text("sealed").notNull(),
    createdAt: timestamp("created_at").notNull(),
    expiresAt: timestamp("expires_at"),
  },
  (table) => [
    uniqueIndex("app_secrets_digest_unique", table.kind, table.digest),
    index("app_secrets_app_kind", table.appId, table.kind),
  ],
);

export const sessions = defineTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    appId: text("app_id")
      .notNull()
      .references(() => apps.columns.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    /** SHA-256 of the `sess_…` token: the token itself is never stored. */
    tokenDigest: text("token_digest").notNull(),
    clientDeviceId: text("client_device_id"),
    createdAt: timestamp("created_at").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
  },
  (table) => [
    uniqueIndex("sessions_token_digest_unique", table.tokenDigest),
    index("sessions_expires_at", table.expiresAt),
  ],
);

/** A device and the one user it belongs to (last registration wins). */
export const devices = defineTable(
  "devices",
  {
    id: text("id").primaryKey(),
    appId: text("app_id")
      .notNull()
      .references(() => apps.columns.id, { onDelete: "cascade" }),
    /** The client's `device_id`; null for a device identified by its push token. */
    clientDeviceId: text("client_device_id"),
    userId: text("user_id").notNull(),
    /** The session of the last registration; an expired session purged leaves the device in place. */
    sessionId: text("session_id").references(() => sessions.columns.id, { onDelete: "set null" }),
    /** The device's language from its last registration, canonical BCP 47; null: the user's. */
    locale: text("locale"),
    /** The app variant (build) the device registered with; null: the app's own credentials. */
    variant: text("variant"),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (table) => [
    uniqueIndex("devices_client_device_id_unique", table.appId, table.clientDeviceId),
    index("devices_app_user", table.appId, table.userId),
    index("devices_session", table.sessionId),
  ],
);

/**
 * Push tokens: the primary key makes a token belong to at most one device of an app,
 * the unique slot index gives a device at most one regular and one VoIP token.
 */
export const deviceTokens = defineTable(
  "device_tokens",
  {
    appId: text("app_id").notNull(),
    token: text("token").notNull(),
    deviceId: text("device_id")
      .notNull()
      .references(() => devices.columns.id, { onDelete: "cascade" }),
    provider: text("provider", { enum: tokenProviders }).notNull(),
    platform: text("platform", { enum: platforms }).notNull(),
    voip: boolean("voip").notNull(),
    /** A Web Push subscription's keys, `{p256dh, auth}` as JSON; null for every other provider. */
    pushKeys: text("push_keys"),
  },
  (table) => [
    primaryKey(table.appId, table.token),
    uniqueIndex("device_tokens_device_slot_unique", table.deviceId, table.voip),
  ],
);

/** Further users a device serves, bound with sync tokens (docs/api.md §5). */
export const deviceSyncUsers = defineTable(
  "device_sync_users",
  {
    deviceId: text("device_id")
      .notNull()
      .references(() => devices.columns.id, { onDelete: "cascade" }),
    appId: text("app_id").notNull(),
    userId: text("user_id").notNull(),
    /**
     * The session that vouched for the user (its sync token's): its sign-out ends the binding.
     * An expired session purged leaves the binding, as it leaves a device; null for older bindings.
     */
    sessionId: text("session_id").references(() => sessions.columns.id, { onDelete: "set null" }),
  },
  (table) => [
    primaryKey(table.deviceId, table.userId),
    index("device_sync_users_app_user", table.appId, table.userId),
    index("device_sync_users_session", table.sessionId),
  ],
);

/**
 * Every accepted live event: payload, progress and outcome. Its primary key is also the
 * dedupe record of event ids (kept for `EVENT_RETENTION_DAYS`).
 */
export const events = defineTable(
  "events",
  {
    appId: text("app_id")
      .notNull()
      .references(() => apps.columns.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    type: text("type").notNull(),
    mode: text("mode", { enum: ["direct", "webhook"] }).notNull(),
    status: text("status", { enum: ["queued", "processing", "completed", "failed", "expired"] }).notNull(),
    /** `json`, not `jsonb`: the event goes on to webhooks with its keys in the order it came with. */
    payload: json("payload").notNull(),
    receivedAt: timestamp("received_at").notNull(),
    completedAt: timestamp("completed_at"),
    expiresAt: timestamp("expires_at"),
    /** Incremented by each replay; part of the job ids of a run. */
    run: integer("run").notNull().default(0),
    recipients: integer("recipients").notNull().default(0),
    suppressed: integer("suppressed").notNull().default(0),
    /** How many recipients each toggle stopped. */
    suppressedBy: jsonb("suppressed_by").notNull().default({}),
    /** Tokens the first attempts went to; those without a result yet are pending. */
    tokens: integer("tokens").notNull().default(0),
    sent: integer("sent").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    invalidTokens: integer("invalid_tokens").notNull().default(0),
    expired: integer("expired").notNull().default(0),
    /** Of `sent`, those sent without sound: held back by a snooze or quiet hours. */
    silenced: integer("silenced").notNull().default(0),
    folded: integer("folded").notNull().default(0),
    error: text("error"),
    /** Webhook mode: what the customer's answer (or the fallback) decided. */
    webhookOutcome: text("webhook_outcome", {
      enum: ["send", "edited", "dropped", "failed", "fallback_send", "fallback_drop"],
    }),
  },
  (table) => [
    primaryKey(table.appId, table.id),
    index("events_app_status_received", table.appId, table.status, table.receivedAt),
    index("events_received", table.receivedAt),
    // The console's event list: newest first, a page at a time, of any type or of one.
    index("events_app_received", table.appId, table.receivedAt, table.id),
    index("events_app_type_received", table.appId, table.type, table.receivedAt, table.id),
  ],
);

/** Channel membership as last told by events or the members API (docs/api.md §7). */
export const channelMembers = defineTable(
  "channel_members",
  {
    appId: text("app_id")
      .notNull()
      .references(() => apps.columns.id, { onDelete: "cascade" }),
    channelId: text("channel_id").notNull(),
    userId: text("user_id").notNull(),
  },
  (table) => [primaryKey(table.appId, table.channelId, table.userId)],
);

/** Each call to a customer's webhook for an event (`webhook.attempts` of the event status, docs/api.md §8). */
/**
 * What became of an event's notification on each device (docs/api.md §8): one row per token of
 * the current run, written a delivery job at a time, gone with the event.
 */
export const eventDeliveries = defineTable(
  "event_deliveries",
  {
    appId: text("app_id").notNull(),
    eventId: text("event_id").notNull(),
    token: text("token").notNull(),
    run: integer("run").notNull(),
    userId: text("user_id"),
    deviceId: text("device_id"),
    provider: text("provider", { enum: tokenProviders }).notNull(),
    /** `sent`, `silenced`, `failed`, `invalid_token`, `expired` or `pending` (retrying). */
    outcome: text("outcome").notNull(),
    attempts: integer("attempts").notNull(),
    providerStatus: text("provider_status"),
    providerError: text("provider_error"),
    at: timestamp("at").notNull(),
  },
  (table) => [
    primaryKey(table.appId, table.eventId, table.token),
    foreignKey([table.appId, table.eventId], [events.columns.appId, events.columns.id], {
      onDelete: "cascade",
    }),
  ],
);

export const webhookAttempts = defineTable(
  "webhook_attempts",
  {
    id: autoIncrementId("id"),
    appId: text("app_id").notNull(),
    eventId: text("event_id").notNull(),
    run: integer("run").notNull(),
    at: timestamp("at").notNull(),
    statusCode: integer("status_code"),
    durationMs: integer("duration_ms").notNull(),
    error: text("error"),
    response: text("response"),
    /** The start of the body sent, on a delivery's first call only (its retries send the same). */
    request: text("request"),
  },
  (table) => [
    index("webhook_attempts_event", table.appId, table.eventId),
    foreignKey([table.appId, table.eventId], [events.columns.appId, events.columns.id], {
      onDelete: "cascade",
    }),
  ],
);

/**
 * The jobs of an event's run (deliveries, retries, webhook calls). A job closes its
 * row and opens its follow-ups' rows in one transaction, so a job run twice counts
 * once, and the run completes when no row is open.
 */
export const eventJobs = defineTable(
  "event_jobs",
  {
    appId: text("app_id").notNull(),
    eventId: text("event_id").notNull(),
    run: integer("run").notNull(),
    jobId: text("job_id").notNull(),
    open: boolean("open").notNull(),
  },
  (table) => [
    primaryKey(table.appId, table.eventId, table.run, table.jobId),
    index("event_jobs_open", table.appId, table.eventId, table.run, table.open),
    foreignKey([table.appId, table.eventId], [events.columns.appId, events.columns.id], {
      onDelete: "cascade",
    }),
  ],
);

/**
 * The user and channel toggles that differ from, or were once set to, their default.
 * One row per (user, scope): the user's global switch, a module, or a channel.
 * `enabled` is the switch of a user or module row; a channel row keeps it as its level is not `none`.
 */
export const notificationSettings = defineTable(
  "notification_settings",
  {
    appId: text("app_id")
      .notNull()
      .references(() => apps.columns.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    scope: text("scope", { enum: ["user", "module", "channel"] }).notNull(),
    /** "" for the user scope, else the module name or the channel id. */
    scopeId: text("scope_id").notNull(),
    enabled: boolean("enabled").notNull(),
    /** Module scope only: a `RoleFilter`. */
    roleFilter: jsonb("role_filter"),
    /** Channel scope only: `all`, `mentions` or `none`. */
    level: text("level", { enum: channelLevels }),
    /** Channel scope only. */
    mutedUntil: timestamp("muted_until"),
    /** User scope only. */
    snoozedUntil: timestamp("snoozed_until"),
    /** User scope only: a `QuietHours`. */
    quietHours: jsonb("quiet_hours"),
    /** User scope only: the user's language, canonical BCP 47. */
    locale: text("locale"),
  },
  (table) => [primaryKey(table.appId, table.userId, table.scope, table.scopeId)],
);

/** An app's own wording of one event type (docs/api.md, templates): a `NotificationTemplate`. */
export const notificationTemplates = defineTable(
  "notification_templates",
  {
    appId: text("app_id")
      .notNull()
      .references(() => apps.columns.id, { onDelete: "cascade" }),
    eventType: text("event_type").notNull(),
    template: jsonb("template").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (table) => [primaryKey(table.appId, table.eventType)],
);
