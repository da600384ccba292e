import { and, eq, or, sql } from "drizzle-orm";
import type {
  AudienceDecision,
  AudienceFilter,
  NotificationContext,
} from "../../domain/audience/audience.js";
import { audienceDecision } from "../mapping/notification-settings.js";
import { isAnyOfPlaceholder } from "./any-of.js";
import type { PostgresDb } from "./postgres-store.js";
import { notificationSettings } from "./schema/index.js";

/** The toggles that may stop a notification: the user's, the module's, and the channel's if any. */
function settingsOfRecipients(db: PostgresDb, withChannel: boolean) {
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
        isAnyOfPlaceholder(notificationSettings.userId, "users"),
        or(
          eq(scope, "user"),
          and(eq(scope, "module"), eq(scopeId, sql.placeholder("module"))),
          withChannel ? and(eq(scope, "channel"), eq(scopeId, sql.placeholder("channelId"))) : undefined,
        ),
      ),
    )
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
