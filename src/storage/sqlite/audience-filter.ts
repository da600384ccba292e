import { inArray } from "drizzle-orm";
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
import { jsonListPlaceholder } from "./json-list.js";
import { notificationSettings } from "./schema/index.js";
import type { SqliteDb } from "./sqlite-store.js";

/** The toggles that may stop a notification: the user's, the module's, and the channel's if any. */
function settingsOfRecipients(db: SqliteDb, withChannel: boolean) {
  const recipients = inArray(notificationSettings.userId, jsonListPlaceholder("users"));
  return db
    .select(pickColumns(notificationSettings, applicableSettingKeys))
    .from(notificationSettings)
    .where(applicableSettings(notificationSettings, recipients, withChannel))
    .prepare();
}

/** The user and channel toggles of a whole batch of recipients, read in one statement. */
export class SqliteAudienceFilter implements AudienceFilter {
  private readonly inChannel;
  private readonly outsideChannels;

  constructor(db: SqliteDb) {
    this.inChannel = settingsOfRecipients(db, true);
    this.outsideChannels = settingsOfRecipients(db, false);
  }

  async filter(context: NotificationContext, userIds: string[]): Promise<AudienceDecision> {
    const recipients = [...new Set(userIds)];
    if (recipients.length === 0) return { allowed: [], suppressed: [], suppressedBy: {} };
    const { appId, module, channelId } = context;
    const users = JSON.stringify(recipients);
    const rows =
      channelId === undefined
        ? this.outsideChannels.all({ appId, users, module })
        : this.inChannel.all({ appId, users, module, channelId });
    return audienceDecision(context.actorRoles, recipients, rows);
  }
}
