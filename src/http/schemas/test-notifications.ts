import { z } from "zod";
import { suppressingToggles } from "../../domain/audience/audience.js";

export const testNotificationSchema = z.strictObject({
  title: z
    .string()
    .max(200, "must be at most 200 characters")
    .optional()
    .describe('Default "Test notification"'),
  body: z
    .string()
    .max(1000, "must be at most 1000 characters")
    .optional()
    .describe('Default "Sent from Pushgate to check this device"'),
  dry_run: z
    .boolean()
    .optional()
    .describe("FCM validates the message without notifying; APNs, Web Push and Expo devices are `skipped`"),
});

const testDeviceSchema = z.object({
  device_id: z
    .string()
    .nullable()
    .describe("The device's `device_id`; null for a device registered without one"),
  provider: z.string(),
  token: z.string().describe("The token's last 8 characters, after an ellipsis"),
  outcome: z
    .enum(["sent", "invalid_token", "failed", "retry", "skipped"])
    .describe(
      "`invalid_token`: the token is removed; `retry`: the provider asked for later, the test is not retried",
    ),
  provider_status: z
    .string()
    .nullable()
    .describe("What the provider answered: an HTTP status or its own code"),
  provider_error: z.string().nullable().describe("The provider's error text"),
});

export const testNotificationResponseSchema = z.object({
  devices: z.array(testDeviceSchema),
  would_suppress: z
    .enum(suppressingToggles)
    .nullable()
    .describe("The first toggle that would stop a real message notification to the user now; null: none"),
});
export type TestNotificationResponse = z.infer<typeof testNotificationResponseSchema>;
