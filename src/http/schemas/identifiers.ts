import { z } from "zod";

/** Ids the customer chooses (users, channels, devices): opaque, bounded, printable. */
function customerId(maxLength: number) {
  return z
    .string()
    .min(1, "must not be empty")
    .max(maxLength, `must be at most ${maxLength} characters`)
    .regex(/^[^\p{Cc}]*$/u, "must not contain control characters");
}

export const userIdSchema = customerId(256);
export const channelIdSchema = customerId(256);
export const deviceIdSchema = customerId(256);
