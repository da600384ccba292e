import { z } from "zod";
import { customerIdMaxLength } from "../../domain/events/live-event.js";

/** Ids the customer chooses (users, channels, devices): opaque, bounded, printable. */
function customerId(maxLength: number) {
  return z
    .string()
    .min(1, "must not be empty")
    .max(maxLength, `must be at most ${maxLength} characters`)
    .regex(/^[^\p{Cc}]*$/u, "must not contain control characters");
}

export const userIdSchema = customerId(customerIdMaxLength);
export const channelIdSchema = customerId(customerIdMaxLength);
export const deviceIdSchema = customerId(customerIdMaxLength);
