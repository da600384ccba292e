import { z } from "zod";
import { deviceIdSchema, userIdSchema } from "./identifiers.js";

export const createSessionSchema = z.strictObject({
  user_id: userIdSchema,
  auth_token: z.string().min(1, "must not be empty").max(8192, "must be at most 8192 characters").optional(),
  device_id: deviceIdSchema.optional(),
});

export type CreateSessionBody = z.infer<typeof createSessionSchema>;
