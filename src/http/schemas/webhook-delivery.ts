import { z } from "zod";
import { liveEventSchema, userIdListEntry } from "../../domain/events/live-event.js";
import type { WebhookDelivery } from "../../webhooks/delivery-body.js";
import { suppressedBySchema } from "./events.js";

/**
 * The body of what the gateway POSTs to a customer's webhook, as `buildDeliveryBody` makes it.
 * `satisfies` holds it to the type the code builds; the API contract test holds the bodies
 * the code builds to it, field for field.
 */
export const webhookDeliverySchema = z.object({
  event: liveEventSchema.describe("The live event, with every field it was sent with"),
  notification: z
    .object({
      title: z.string(),
      body: z.string(),
      data: z
        .record(z.string(), z.string())
        .describe("The event's `data` and the gateway's keys (event_id, event_type, channel_id, …), strings"),
    })
    .nullable()
    .describe("What direct mode would send; null for events that notify nobody"),
  recipient_ids: z
    .array(userIdListEntry)
    .describe("The recipients that passed the notification toggles, the actor left out"),
  silent_recipient_ids: z
    .array(userIdListEntry)
    .describe(
      "Those of `recipient_ids` a snooze or quiet hours hold back, under the app's `quiet_delivery: silent`: sent without sound",
    ),
  suppressed_by: suppressedBySchema,
  recipient_locales: z
    .record(userIdListEntry, z.string())
    .describe(
      "The `locale` setting of those of `recipient_ids` whose user has one (a device's own locale is not in it: devices of one user may differ); the others take `default_locale`",
    ),
  default_locale: z
    .string()
    .describe(
      "The app's `default_locale`: the language of the proposed `notification`, and of recipients without one of their own",
    ),
}) satisfies z.ZodType<WebhookDelivery>;
