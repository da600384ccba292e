import { z } from "zod";
import { suppressingToggles } from "../../domain/audience/audience.js";
import { userIdListEntry } from "../../domain/events/live-event.js";
import { fieldErrorSchema } from "./problem.js";

export const eventStatusSchema = z.enum(["queued", "processing", "completed", "failed", "expired"]);

export const batchSchema = z.strictObject({
  events: z.array(z.unknown()).min(1, "send at least one event"),
});

export const listEventsQuery = z.strictObject({
  status: eventStatusSchema.optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The `next_cursor` of the previous page. */
  cursor: z.string().max(600).optional(),
});

export const bulkReplaySchema = z.strictObject({
  status: z.enum(["failed", "expired", "completed"]),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
});

/** A channel's members as a `PUT` takes them and every answer gives them. */
export const channelMembersSchema = z.strictObject({
  member_ids: z.array(userIdListEntry).max(100_000),
});

export const acceptedEventResponseSchema = z.object({ id: z.string(), status: z.literal("queued") });
export const duplicateEventResponseSchema = z.object({ id: z.string(), status: z.literal("duplicate") });

export const batchResponseSchema = z.object({
  results: z
    .array(
      z.union([
        z.object({ id: z.string(), status: z.enum(["queued", "duplicate"]) }),
        z.object({
          id: z.string().nullable().describe("The event's id, null when it has none"),
          status: z.literal("invalid"),
          errors: z.array(fieldErrorSchema),
        }),
      ]),
    )
    .describe("One per event, in the order they were sent"),
});

const count = z.number().int().min(0);
const isoTime = z.iso.datetime();

/** Recipients per check that stopped them, the first that applied, in the order of the checks. */
export const suppressedBySchema = z
  .partialRecord(z.enum(suppressingToggles), count)
  .describe(
    "How many recipients each check stopped (the first that applied): network, user, snooze, quiet_hours, module, role_filter, channel, mentions_only",
  );

/** What became of an accepted event. */
export const eventStatusResponseSchema = z.object({
  id: z.string(),
  type: z.string(),
  mode: z.enum(["direct", "webhook"]).describe("The app's mode when the event was accepted"),
  status: eventStatusSchema,
  received_at: isoTime,
  completed_at: isoTime.nullable(),
  recipients: count.describe("Who the event was for, the actor left out"),
  suppressed: count.describe("Recipients a notification toggle stopped"),
  suppressed_by: suppressedBySchema,
  webhook: z
    .object({
      outcome: z
        .enum(["send", "edited", "dropped", "failed", "fallback_send", "fallback_drop"])
        .nullable()
        .describe("Null until the customer's server has answered or the fallback applied"),
      attempts: z
        .array(
          z.object({
            at: isoTime,
            status_code: z.number().int().nullable().describe("Null when no answer came"),
            duration_ms: count,
            error: z.string().nullable(),
            run: z.number().int().describe("0 for the first run, then one more per replay"),
            response: z.string().nullable().describe("The start of the answer's body"),
          }),
        )
        .describe("Every call to the webhook, oldest first; empty in lists"),
    })
    .nullable()
    .describe("Null in direct mode"),
  deliveries: z
    .object({
      sent: count,
      failed: count,
      invalid_tokens: count.describe("Tokens the provider reported dead: removed"),
      expired: count.describe("Tokens still failing when the notification's TTL ran out"),
      silenced: count.describe(
        "Of `sent`, the tokens sent without sound: held back by a snooze or quiet hours, under `quiet_delivery: silent`",
      ),
      folded: count.describe(
        "Of `sent`, the tokens whose notification replaced the previous one of a burst: without sound, saying how many (app setting `burst_window_seconds`)",
      ),
      pending: count,
    })
    .describe("Per push token"),
  error: z.string().optional().describe("Why a `failed` event failed"),
});

export const eventListResponseSchema = z.object({
  events: z.array(eventStatusResponseSchema),
  next_cursor: z
    .string()
    .nullable()
    .describe("Pass it as `cursor` for the next page; null when this page is not full"),
});

export const bulkReplayResponseSchema = z.object({
  replayed: count,
  ids: z.array(z.string()).describe("The events queued again"),
  more: z
    .boolean()
    .describe(
      "More events match than one call replays (`EVENT_REPLAY_BULK_MAX`): call again for the next ones",
    ),
});

export type EventStatusResponse = z.infer<typeof eventStatusResponseSchema>;
export type BulkReplayResponse = z.infer<typeof bulkReplayResponseSchema>;
