import type {
  ChannelSettings,
  ChannelSettingsChange,
  ChannelSettingsEntry,
  UserNotificationSettings,
  UserSettingsChange,
} from "./notification-settings.js";

/** The user and channel levels of the toggles; everything never set reads as its default. */
export interface NotificationSettingsRepository {
  userSettings(appId: string, userId: string): Promise<UserNotificationSettings>;
  changeUserSettings(
    appId: string,
    userId: string,
    change: UserSettingsChange,
  ): Promise<UserNotificationSettings>;
  channelSettings(appId: string, userId: string, channelId: string): Promise<ChannelSettings>;
  /** The settings after the change; a change naming nothing writes nothing. */
  changeChannelSettings(
    appId: string,
    userId: string,
    channelId: string,
    change: ChannelSettingsChange,
  ): Promise<ChannelSettings>;
  /**
   * The user's channels whose settings differ from the default at `at` (a level other than
   * `all`, or a mute still running), by channel id: at most `page.limit`, after `page.after`.
   */
  channelsApartFromDefault(
    appId: string,
    userId: string,
    at: Date,
    page: ChannelPage,
  ): Promise<ChannelSettingsEntry[]>;
}

/** A page of a user's channels: those whose id sorts after `after`, at most `limit`. */
export interface ChannelPage {
  after?: string;
  limit: number;
}
