import { z } from "zod";
import type { StatusCallbackType } from "../../domain/apps/app.js";
import { tokenProviders } from "../../domain/devices/device.js";
import type {
  RunEndedData,
  TokenRemovedData,
  WebhookDisabledData,
} from "../../pipeline/callbacks/status-callbacks.js";

/** A status callback's envelope around the `data` of its type, as `StatusCallbacks` makes it. */
function callbackBody<Type extends StatusCallbackType, Data extends z.ZodType>(type: Type, data: Data) {
  return z.object({
    type: z.literal(type),
    app_id: z.string(),
    occurred_at: z.iso.datetime().describe("When the gateway saw it happen"),
    data,
  });
}

const tokenRemovedData = z.object({
  user_id: z.string().describe("The device's owner"),
  device_id: z
    .string()
    .nullable()
    .describe("The `device_id` the client registered with; null when it registered without one"),
  provider: z.enum(tokenProviders).describe("The `provider` the token was registered with"),
  token: z.string(),
  reason: z
    .enum(["invalid_token", "receipt"])
    .describe(
      "`invalid_token`: the provider refused it at a send; `receipt`: an Expo receipt said it is dead",
    ),
}) satisfies z.ZodType<TokenRemovedData>;

const runEndedData = z.object({
  event_id: z.string(),
  event_type: z.string(),
  status: z.enum(["completed", "expired", "failed"]),
  recipients: z.number().int(),
  suppressed: z.number().int(),
  deliveries: z.object({
    sent: z.number().int(),
    failed: z.number().int(),
    invalid_tokens: z.number().int(),
    expired: z.number().int(),
  }),
  error: z.string().optional().describe("Why the run failed; only in `event.failed`"),
}) satisfies z.ZodType<RunEndedData>;

const webhookDisabledData = z.object({
  reason: z.string(),
  disabled_at: z.iso.datetime(),
}) satisfies z.ZodType<WebhookDisabledData>;

export const tokenRemovedCallbackSchema = callbackBody("device.token_removed", tokenRemovedData);
export const eventCompletedCallbackSchema = callbackBody("event.completed", runEndedData);
export const eventFailedCallbackSchema = callbackBody("event.failed", runEndedData);
export const webhookDisabledCallbackSchema = callbackBody("webhook.disabled", webhookDisabledData);

export const statusCallbackSchemas = {
  "device.token_removed": tokenRemovedCallbackSchema,
  "event.completed": eventCompletedCallbackSchema,
  "event.failed": eventFailedCallbackSchema,
  "webhook.disabled": webhookDisabledCallbackSchema,
} satisfies Record<StatusCallbackType, z.ZodType>;
