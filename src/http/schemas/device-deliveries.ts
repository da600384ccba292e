import { z } from "zod";
import { tokenProviders } from "../../domain/devices/device.js";
import { deviceOutcomes } from "../../domain/events/device-delivery.js";
import { userIdSchema } from "./identifiers.js";

const outcomeSchema = z.enum(deviceOutcomes, { error: `use one of ${deviceOutcomes.join(", ")}` });

export const listDeviceDeliveriesQuery = z.strictObject({
  outcome: outcomeSchema.optional(),
  user_id: userIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The `next_cursor` of the previous page. */
  cursor: z.string().max(6000).optional(),
});

export const deviceDeliverySchema = z.object({
  user_id: z.string().nullable(),
  device_id: z.string().nullable(),
  provider: z.enum(tokenProviders),
  token: z
    .string()
    .describe("The token's last 8 characters, after an ellipsis: a token is the device's credential"),
  outcome: outcomeSchema.describe(
    "`sent`; `silenced` (sent without sound: a snooze or quiet hours under `quiet_delivery: silent`); `failed` (refused for good); `invalid_token` (reported dead, and removed); `expired` (still failing when the TTL ran out); `pending` (waiting for a retry)",
  ),
  attempts: z.number().int().describe("Sends to this token in the event's current run"),
  provider_status: z
    .string()
    .nullable()
    .describe(
      "What the provider last answered: an HTTP status (`200`, `410`) or its own code (`DeviceNotRegistered`)",
    ),
  provider_error: z.string().nullable().describe("The provider's error text, when it refused"),
  at: z.iso.datetime().describe("When this outcome was recorded"),
});

export const deviceDeliveryListSchema = z.object({
  deliveries: z.array(deviceDeliverySchema),
  next_cursor: z
    .string()
    .nullable()
    .describe("Pass it as `cursor` for the next page; null when this page is not full"),
});

export type DeviceDeliveryResponse = z.infer<typeof deviceDeliverySchema>;
