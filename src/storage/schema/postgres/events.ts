import {
  bigint,
  boolean,
  foreignKey,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  text,
} from "drizzle-orm/pg-core";
import { apps } from "./apps.js";
import { timestamptz } from "./columns.js";

/**
 * Every accepted live event: payload, progress and outcome. Its primary key is also the
 * dedupe record of event ids (kept for `EVENT_RETENTION_DAYS`).
 */
export const events = pgTable(
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
    /** `json`, not `jsonb`: the event goes on to webhooks with its keys in the order it came with. */
    payload: json("payload").notNull(),
    receivedAt: timestamptz("received_at").notNull(),
    completedAt: timestamptz("completed_at"),
    expiresAt: timestamptz("expires_at"),
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
export const channelMembers = pgTable(
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
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    appId: text("app_id").notNull(),
    eventId: text("event_id").notNull(),
    run: integer("run").notNull(),
    at: timestamptz("at").notNull(),
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
export const eventJobs = pgTable(
  "event_jobs",
  {
    appId: text("app_id").notNull(),
    eventId: text("event_id").notNull(),
    run: integer("run").notNull(),
    jobId: text("job_id").notNull(),
    open: boolean("open").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.appId, table.eventId, table.run, table.jobId] }),
    index("event_jobs_open").on(table.appId, table.eventId, table.run, table.open),
    foreignKey({ columns: [table.appId, table.eventId], foreignColumns: [events.appId, events.id] }).onDelete(
      "cascade",
    ),
  ],
);
