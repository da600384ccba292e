import type {
  AudienceDecision,
  AudienceFilter,
  NotificationContext,
} from "../../domain/audience/audience.js";
import { pickColumns } from "../mapping/columns.js";
import {
  applicableSettingKeys,
  applicableSettings,
  audienceDecision,
} from "../mapping/notification-settings.js";
import { isAnyOfPlaceholder } from "./any-of.js";
import type { PostgresDb } from "./postgres-store.js";
import { notificationSettings } from "./schema/index.js";

/** The toggles that may stop a notification: the user's, the module's, and the channel's if any. */
function settingsOfRecipients(db: PostgresDb, withChannel: boolean) {
  const recipients = isAnyOfPlaceholder(notificationSettings.userId, "users");
  return db
    .select(pickColumns(notificationSettings, applicableSettingKeys))
    .from(notificationSettings)
    .where(applicableSettings(notificationSettings, recipients, withChannel))
    .prepare(withChannel ? "settings_in_channel" : "settings_outside_channels");
}

/** The user and channel toggles of a whole batch of recipients, read in one statement. */
export class PostgresAudienceFilter implements AudienceFilter {
  private readonly inChannel;
  private readonly outsideChannels;

  constructor(db: PostgresDb) {
    this.inChannel = settingsOfRecipients(db, true);
    this.outsideChannels = settingsOfRecipients(db, false);
  }

  async filter(context: NotificationContext, userIds: string[]): Promise<AudienceDecision> {
    const recipients = [...new Set(userIds)];
    if (recipients.length === 0) return { allowed: [], suppressed: [], suppressedBy: {} };
    const { appId, module, channelId } = context;
    const rows =
      channelId === undefined
        ? await this.outsideChannels.execute({ appId, users: recipients, module })
        : await this.inChannel.execute({ appId, users: recipients, module, channelId });
    return audienceDecision(context.actorRoles, recipients, rows);
  }
}
