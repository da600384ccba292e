import { z } from "zod";
import { userIdListEntry } from "../../domain/events/live-event.js";

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

export const channelMembersSchema = z.strictObject({
  member_ids: z.array(userIdListEntry).max(100_000),
});
