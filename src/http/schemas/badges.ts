import { z } from "zod";
import { maxBadgeCount } from "../../domain/badges/badge-counter.js";

const countSchema = z
  .number({ error: "must be a number" })
  .int("must be a whole number")
  .min(0, "must not be negative")
  .max(maxBadgeCount, `must be at most ${maxBadgeCount}`)
  .describe("The user's unread count: the app icon's badge");

export const setBadgeSchema = z.strictObject({ count: countSchema });

export const badgeResponseSchema = z.object({ count: countSchema });
export type BadgeResponse = z.infer<typeof badgeResponseSchema>;
