import {
  type ChannelSettings,
  type ChannelSettingsEntry,
  channelNotifies,
  stillAhead,
  type UserNotificationSettings,
} from "../../domain/notification-settings/notification-settings.js";
import type { ChannelSettingsResponse, UserSettingsResponse } from "../schemas/notification-settings.js";

/** A snooze or mute that has run out reads as none: it ends by itself, with nothing to clear. */
function runningUntil(until: Date | null, at: Date): string | null {
  return stillAhead(until, at) ? until.toISOString() : null;
}

export function presentUserSettings(settings: UserNotificationSettings, at: Date): UserSettingsResponse {
  const { quietHours } = settings;
  return {
    enabled: settings.enabled,
    modules: settings.modules.map((module) => ({
      module: module.module,
      enabled: module.enabled,
      role_filter: module.roleFilter,
    })),
    snoozed_until: runningUntil(settings.snoozedUntil, at),
    quiet_hours: quietHours && {
      time_zone: quietHours.timeZone,
      windows: quietHours.windows,
      allow: quietHours.allow,
    },
    locale: settings.locale,
  };
}

export function presentChannelSettings(settings: ChannelSettings, at: Date): ChannelSettingsResponse {
  return {
    level: settings.level,
    muted_until: runningUntil(settings.mutedUntil, at),
    enabled: channelNotifies(settings, at),
  };
}

export function presentChannelSettingsList(
  entries: ChannelSettingsEntry[],
  at: Date,
  nextCursor: string | null,
) {
  return {
    channels: entries.map((entry) => ({ channel_id: entry.channelId, ...presentChannelSettings(entry, at) })),
    next_cursor: nextCursor,
  };
}
