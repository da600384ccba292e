import { z } from "zod";
import { localeSchema } from "../../domain/templates/locale.js";
import { deviceIdSchema, userIdSchema } from "./identifiers.js";

export const createSessionSchema = z.strictObject({
  user_id: userIdSchema,
  auth_token: z.string().min(1, "must not be empty").max(8192, "must be at most 8192 characters").optional(),
  device_id: deviceIdSchema.optional(),
  locale: localeSchema
    .optional()
    .describe("The user's language, BCP 47: sets `locale` of the user's notification settings"),
});

export type CreateSessionBody = z.infer<typeof createSessionSchema>;

export const newSessionResponseSchema = z.object({
  session_token: z.string().describe("`Authorization: Bearer sess_…` of the client's further calls"),
  session_id: z.string(),
  user_id: z.string(),
  expires_at: z.iso.datetime(),
});

export type NewSessionResponse = z.infer<typeof newSessionResponseSchema>;
