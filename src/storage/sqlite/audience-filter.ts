import { and, eq, inArray, or, sql } from "drizzle-orm";
import type {
  AudienceDecision,
  AudienceFilter,
  NotificationContext,
} from "../../domain/audience/audience.js";
import { audienceDecision } from "../mapping/notification-settings.js";
import { jsonListPlaceholder } from "./json-list.js";
import { notificationSettings } from "./schema/index.js";
import type { SqliteDb } from "./sqlite-store.js";

/** The toggles that may stop a notification: the user's, the module's, and the channel's if any. */
function settingsOfRecipients(db: SqliteDb, withChannel: boolean) {
  const { scope, scopeId } = notificationSettings;
  return db
    .select({
      userId: notificationSettings.userId,
      scope,
      enabled: notificationSettings.enabled,
      roleFilter: notificationSettings.roleFilter,
    })
    .from(notificationSettings)
    .where(
      and(
        eq(notificationSettings.appId, sql.placeholder("appId")),
        inArray(notificationSettings.userId, jsonListPlaceholder("users")),
        or(
          eq(scope, "user"),
          and(eq(scope, "module"), eq(scopeId, sql.placeholder("module"))),
          withChannel ? and(eq(scope, "channel"), eq(scopeId, sql.placeholder("channelId"))) : undefined,
        ),
      ),
    )
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
