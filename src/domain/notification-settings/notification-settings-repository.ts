import type { UserNotificationSettings, UserSettingsChange } from "./notification-settings.js";

/** The user and channel levels of the toggles; everything never set reads as enabled. */
export interface NotificationSettingsRepository {
  userSettings(appId: string, userId: string): Promise<UserNotificationSettings>;
  changeUserSettings(
    appId: string,
    userId: string,
    change: UserSettingsChange,
  ): Promise<UserNotificationSettings>;
  channelEnabled(appId: string, userId: string, channelId: string): Promise<boolean>;
  setChannelEnabled(appId: string, userId: string, channelId: string, enabled: boolean): Promise<void>;
}
