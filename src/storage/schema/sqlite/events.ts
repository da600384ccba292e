import { foreignKey, index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { apps } from "./apps.js";

/**
 * Every accepted live event: payload, progress and outcome. Its primary key is also the
 * dedupe record of event ids (kept for `EVENT_RETENTION_DAYS`).
 */
export const events = sqliteTable(
  "events",
  {
    appId: text("app_id")
      .notNull()
      .references(() => apps.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    type: text("type").notNull(),
    mode: text("mode", { enum: ["direct", "webhook"] }).notNull(),
    /** `received` = written but not yet in the queue: not accepted, invisible to the API. */
    status: text("status", {
      enum: ["received", "queued", "processing", "completed", "failed", "expired"],
    }).notNull(),
    payload: text("payload", { mode: "json" }).notNull(),
    receivedAt: integer("received_at", { mode: "timestamp_ms" }).notNull(),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
    /** Incremented by each replay; part of the job ids of a run. */
    run: integer("run").notNull().default(0),
    recipients: integer("recipients").notNull().default(0),
    suppressed: integer("suppressed").notNull().default(0),
    /** JSON: how many recipients each toggle stopped. */
    suppressedBy: text("suppressed_by", { mode: "json" }).notNull().default({}),
    /** Tokens the first attempts went to; those without a result yet are pending. */
    tokens: integer("tokens").notNull().default(0),
    sent: integer("sent").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    invalidTokens: integer("invalid_tokens").notNull().default(0),
    expired: integer("expired").notNull().default(0),
    error: text("error"),
    /** Webhook mode: what the customer's answer (or the fallback) decided. */
    webhookOutcome: text("webhook_outcome", {
      enum: ["send", "edited", "dropped", "failed", "fallback_send", "fallback_drop"],
    }),
  },
  (table) => [
    primaryKey({ columns: [table.appId, table.id] }),
    index("events_app_status_received").on(table.appId, table.status, table.receivedAt),
    index("events_received").on(table.receivedAt),
  ],
);

/** Channel membership as last told by events or the members API (SPEC §6.1). */
export const channelMembers = sqliteTable(
  "channel_members",
  {
    appId: text("app_id")
      .notNull()
      .references(() => apps.id, { onDelete: "cascade" }),
    channelId: text("channel_id").notNull(),
    userId: text("user_id").notNull(),
  },
  (table) => [primaryKey({ columns: [table.appId, table.channelId, table.userId] })],
);

/** Each call to a customer's webhook for an event (SPEC §9 `webhook.attempts`). */
export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    appId: text("app_id").notNull(),
    eventId: text("event_id").notNull(),
    run: integer("run").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    statusCode: integer("status_code"),
    durationMs: integer("duration_ms").notNull(),
    error: text("error"),
    response: text("response"),
  },
  (table) => [
    index("webhook_attempts_event").on(table.appId, table.eventId),
    foreignKey({ columns: [table.appId, table.eventId], foreignColumns: [events.appId, events.id] }).onDelete(
      "cascade",
    ),
  ],
);

/**
 * The jobs of an event's run (deliveries, retries, webhook calls). A job closes its
 * row and opens its follow-ups' rows in one transaction, so a job run twice counts
 * once, and the run completes when no row is open.
 */
export const eventJobs = sqliteTable(
  "event_jobs",
  {
    appId: text("app_id").notNull(),
    eventId: text("event_id").notNull(),
    run: integer("run").notNull(),
    jobId: text("job_id").notNull(),
    open: integer("open", { mode: "boolean" }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.appId, table.eventId, table.run, table.jobId] }),
    index("event_jobs_open").on(table.appId, table.eventId, table.run, table.open),
    foreignKey({ columns: [table.appId, table.eventId], foreignColumns: [events.appId, events.id] }).onDelete(
      "cascade",
    ),
  ],
);
