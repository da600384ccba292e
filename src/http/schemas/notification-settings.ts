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

export const channelSettingsSchema = z.strictObject({
  enabled: z.boolean({ error: "must be true or false" }),
});

export type ChangeUserSettingsBody = z.infer<typeof changeUserSettingsSchema>;
