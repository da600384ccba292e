import { z } from "zod";
import {
  channelLevels,
  notificationModules,
} from "../../domain/notification-settings/notification-settings.js";
import {
  isEndClock,
  isStartClock,
  knownTimeZone,
  maxQuietWindows,
  quietAllowances,
  weekdays,
} from "../../domain/notification-settings/quiet-hours.js";
import { localeSchema } from "../../domain/templates/locale.js";

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

/** A point in time as RFC 3339 gives it (an offset or `Z`), or null to end what it bounds. */
const untilSchema = z.iso
  .datetime({ offset: true, error: "must be an RFC 3339 date-time such as 2026-11-30T07:00:00Z, or null" })
  .transform((text) => new Date(text))
  .nullable();

function uniqueEntries(entries: readonly string[]): boolean {
  return new Set(entries).size === entries.length;
}

const quietWindowSchema = z.strictObject({
  days: z
    .array(z.enum(weekdays, { error: `must be a day: ${weekdays.join(", ")}` }))
    .min(1, "name at least one day")
    .refine(uniqueEntries, "names a day more than once")
    .describe("The days the window starts on"),
  start: z
    .string({ error: "must be a time HH:MM" })
    .refine(isStartClock, "must be a time of day HH:MM, 00:00–23:59")
    .describe("Wall-clock time the window starts at, `HH:MM`"),
  end: z
    .string({ error: "must be a time HH:MM" })
    .refine(isEndClock, "must be a time of day HH:MM, 00:00–24:00")
    .describe("Wall-clock time it ends at, `HH:MM` up to `24:00`; at or before `start`, the next day"),
});

const quietHoursSchema = z
  .strictObject({
    time_zone: z
      .string({ error: "must be an IANA time zone such as Europe/Paris" })
      .max(64, "must be an IANA time zone such as Europe/Paris")
      .transform((name, context) => {
        const zone = knownTimeZone(name);
        if (zone === null) {
          context.addIssue({ code: "custom", message: "is not an IANA time zone such as Europe/Paris" });
          return z.NEVER;
        }
        return zone;
      }),
    windows: z
      .array(quietWindowSchema)
      .max(maxQuietWindows, `at most ${maxQuietWindows} windows`)
      .describe("Weekly windows in the zone's wall-clock time; empty: none (a snooze's `allow` alone)"),
    allow: z
      .array(z.enum(quietAllowances, { error: `use one of ${quietAllowances.join(", ")}` }))
      .refine(uniqueEntries, "names an entry more than once")
      .default([])
      .describe(
        "What still comes through quiet hours and a snooze: `call` (call.ringing), `mention` (a message naming the user), `custom` (notification.custom)",
      ),
  })
  .transform((quietHours) => ({
    timeZone: quietHours.time_zone,
    windows: quietHours.windows,
    allow: quietHours.allow,
  }))
  .nullable();

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
  snoozed_until: untilSchema
    .optional()
    .describe("Nothing comes through before then but what `quiet_hours.allow` names"),
  quiet_hours: quietHoursSchema.optional(),
  locale: localeSchema
    .nullable()
    .optional()
    .describe("The user's language, BCP 47 (stored in canonical form); null removes it"),
});

const levelSchema = z
  .enum(channelLevels, { error: `unknown level; use one of ${channelLevels.join(", ")}` })
  .describe("`all`, `mentions` (messages that mention the user or everyone, and calls) or `none`");

/**
 * A channel's settings as a `PUT` takes them: any subset. The v1 `enabled` stands for a level,
 * `false` for `none` and `true` for `all` (ending a mute the body does not set).
 */
export const changeChannelSettingsSchema = z
  .strictObject({
    level: levelSchema.optional(),
    muted_until: untilSchema.optional().describe("Until then the channel counts as `none`; null ends a mute"),
    enabled: z.boolean({ error: "must be true or false" }).optional(),
  })
  .superRefine((body, context) => {
    if (body.enabled === undefined || body.level === undefined) return;
    if (body.enabled !== (body.level !== "none")) {
      context.addIssue({
        code: "custom",
        path: ["enabled"],
        message: `contradicts level ${body.level}: enabled is false exactly when the level is none`,
      });
    }
  });

const isoTime = z.iso.datetime();

/** A channel's settings as every answer gives them. */
export const channelSettingsResponseSchema = z.object({
  level: levelSchema,
  muted_until: isoTime.nullable().describe("A mute still running; null when none runs"),
  enabled: z.boolean().describe("False while the level is `none` or a mute runs"),
});

export const channelSettingsListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The `next_cursor` of the previous page. */
  cursor: z.string().max(600).optional(),
});

export const channelSettingsListResponseSchema = z.object({
  channels: z
    .array(channelSettingsResponseSchema.extend({ channel_id: z.string() }))
    .describe("The user's channels whose level is not `all` or that are muted, by channel id"),
  next_cursor: z
    .string()
    .nullable()
    .describe("Pass it as `cursor` for the next page; null when this page is not full"),
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
  snoozed_until: isoTime.nullable().describe("A snooze still running; null when none runs"),
  quiet_hours: z
    .object({
      time_zone: z.string(),
      windows: z.array(z.object({ days: z.array(z.enum(weekdays)), start: z.string(), end: z.string() })),
      allow: z.array(z.enum(quietAllowances)),
    })
    .nullable(),
  locale: z
    .string()
    .nullable()
    .describe(
      "The user's language, BCP 47: notifications are written in it on the devices that name none; null: the app's `default_locale`",
    ),
});

export type UserSettingsResponse = z.infer<typeof userSettingsResponseSchema>;
export type ChannelSettingsResponse = z.infer<typeof channelSettingsResponseSchema>;
export type ChangeUserSettingsBody = z.infer<typeof changeUserSettingsSchema>;
