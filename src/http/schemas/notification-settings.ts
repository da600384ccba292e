import { z } from "zod";
import { notificationModules } from "../../domain/notification-settings/notification-settings.js";

const rolesSchema = z
  .array(z.string().min(1, "must not be empty").max(64, "must be at most 64 characters"))
  .max(50, "at most 50 roles");

const roleFilterSchema = z
  .strictObject({ only: rolesSchema.optional(), not: rolesSchema.optional() })
  .refine((filter) => (filter.only === undefined) !== (filter.not === undefined), {
    message: 'must be {"only": [roles]} or {"not": [roles]}',
  })
  .transform((filter) => (filter.only !== undefined ? { only: filter.only } : { not: filter.not ?? [] }))
  .nullable();

const moduleSchema = z.enum(notificationModules, {
  error: `unknown module; use one of ${notificationModules.join(", ")}`,
});

export const changeUserSettingsSchema = z.strictObject({
  enabled: z.boolean({ error: "must be true or false" }).optional(),
  modules: z
    .array(
      z.strictObject({
        module: moduleSchema,
        enabled: z.boolean({ error: "must be true or false" }).optional(),
        role_filter: roleFilterSchema.optional(),
      }),
    )
    .refine((modules) => new Set(modules.map((entry) => entry.module)).size === modules.length, {
      message: "names a module more than once",
    })
    .optional(),
});

/** A channel's settings as a `PUT` takes them and every answer gives them. */
export const channelSettingsSchema = z.strictObject({
  enabled: z.boolean({ error: "must be true or false" }),
});

export const userSettingsResponseSchema = z.object({
  enabled: z.boolean().describe("The user's switch: false stops every notification to the user"),
  modules: z
    .array(
      z.object({
        module: moduleSchema,
        enabled: z.boolean(),
        role_filter: z
          .union([z.object({ only: z.array(z.string()) }), z.object({ not: z.array(z.string()) })])
          .nullable()
          .describe("Notify only when the actor has one of `only`, or never when the actor has one of `not`"),
      }),
    )
    .describe("One entry per module, every module"),
});

export type UserSettingsResponse = z.infer<typeof userSettingsResponseSchema>;
export type ChangeUserSettingsBody = z.infer<typeof changeUserSettingsSchema>;
