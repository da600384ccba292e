import type { UserNotificationSettings } from "../../domain/notification-settings/notification-settings.js";
import type { UserSettingsResponse } from "../schemas/notification-settings.js";

export function presentUserSettings(settings: UserNotificationSettings): UserSettingsResponse {
  return {
    enabled: settings.enabled,
    modules: settings.modules.map((module) => ({
      module: module.module,
      enabled: module.enabled,
      role_filter: module.roleFilter,
    })),
  };
}
