import { z } from "zod";
import { maxBadgeCount } from "../badges/badge-counter.js";

/** The longest id a customer may choose (users, channels, devices), everywhere it is named. */
export const customerIdMaxLength = 256;
/** A user id in an event, a member list or a customer's answer. */
export const userIdListEntry = z
  .string()
  .min(1, "must not be empty")
  .max(customerIdMaxLength, `must be at most ${customerIdMaxLength} characters`)
  .regex(/^[^\p{Cc}]*$/u, "must not contain control characters");
const id = userIdListEntry;
const displayName = z.string().max(500).optional();

export const actorSchema = z.looseObject({
  id,
  display_name: displayName,
  roles: z.array(z.string().max(100)).max(100).optional(),
});

export const channelSchema = z.looseObject({
  id,
  display_name: displayName,
  member_ids: z.array(id).max(100_000).optional(),
});

export const messageSchema = z.looseObject({
  id,
  type: z.string().min(1).max(100),
  text: z.string().max(100_000).optional(),
  /** The users the message names (`@alice`); bounded like a member list. */
  mentioned_user_ids: z.array(id).max(100_000).optional(),
  /** `@channel`, `@here`: the message mentions every member. */
  mentions_everyone: z.boolean().optional(),
});

const moduleName = z.enum(["chat", "social", "video"]);
const maxDataBytes = 2048;

const base = {
  id,
  occurred_at: z.iso.datetime({ offset: true }),
  actor: actorSchema.optional(),
  channel: channelSchema.optional(),
  message: messageSchema.optional(),
  recipient_ids: z.array(id).max(100_000).optional(),
  /**
   * The unread count some recipients are sent with this event, instead of their count plus one:
   * user id → count, kept as their count. Users who are not recipients of the event are ignored.
   */
  badges: z
    .record(id, z.number().int("must be a whole number").min(0).max(maxBadgeCount))
    .refine((badges) => Object.keys(badges).length <= 100_000, { message: "must name at most 100000 users" })
    .optional(),
  /** Travels in every push; FCM and APNs refuse payloads over 4 KiB, so it gets at most half. */
  data: z
    .record(z.string().max(200), z.unknown())
    .refine((data) => Buffer.byteLength(JSON.stringify(data)) <= maxDataBytes, {
      message: `must be at most ${maxDataBytes} bytes as JSON: it travels in every push, and providers refuse payloads over 4 KiB`,
    })
    .optional(),
};

/**
 * The live events a chat backend sends (docs/api.md §7.3), one schema per type. Fields the
 * gateway does not read are kept, at every level: webhook mode forwards the event as sent.
 */
export const liveEventSchema = z.discriminatedUnion("type", [
  z.looseObject({ ...base, type: z.literal("channel.created"), channel: channelSchema }),
  z.looseObject({
    ...base,
    type: z.literal("channel.member_joined"),
    actor: actorSchema,
    channel: channelSchema,
  }),
  z.looseObject({
    ...base,
    type: z.literal("channel.member_left"),
    actor: actorSchema,
    channel: channelSchema,
  }),
  z.looseObject({ ...base, type: z.literal("channel.deleted"), channel: channelSchema }),
  z.looseObject({
    ...base,
    type: z.literal("message.created"),
    actor: actorSchema,
    channel: channelSchema,
    message: messageSchema,
  }),
  z.looseObject({
    ...base,
    type: z.literal("call.ringing"),
    actor: actorSchema,
    channel: channelSchema,
    call: z.looseObject({ id, kind: z.string().min(1).max(50) }),
  }),
  z.looseObject({
    ...base,
    type: z.literal("notification.custom"),
    recipient_ids: z.array(id).min(1).max(100_000),
    notification: z.looseObject({ title: z.string().min(1).max(1000), body: z.string().max(100_000) }),
    module: moduleName.optional(),
  }),
]);

export type LiveEvent = z.infer<typeof liveEventSchema>;
export type LiveEventType = LiveEvent["type"];
export const liveEventTypes = liveEventSchema.options.map((option) => option.shape.type.value);
