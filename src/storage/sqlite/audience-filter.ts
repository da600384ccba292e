import { and, eq, inArray, or } from "drizzle-orm";
import type {
  AudienceDecision,
  AudienceFilter,
  NotificationContext,
} from "../../domain/audience/audience.js";
import { audienceDecision } from "../mapping/notification-settings.js";
import { jsonList } from "./json-list.js";
import { notificationSettings } from "./schema/index.js";
import type { SqliteDb } from "./sqlite-store.js";

/** The user and channel toggles of a whole batch of recipients, read in one statement. */
export class SqliteAudienceFilter implements AudienceFilter {
  constructor(private readonly db: SqliteDb) {}

  async filter(context: NotificationContext, userIds: string[]): Promise<AudienceDecision> {
    const recipients = [...new Set(userIds)];
    if (recipients.length === 0) return { allowed: [], suppressed: [], suppressedBy: {} };
    const { scope, scopeId } = notificationSettings;
    const rows = this.db
      .select({
        userId: notificationSettings.userId,
        scope,
        enabled: notificationSettings.enabled,
        roleFilter: notificationSettings.roleFilter,
      })
      .from(notificationSettings)
      .where(
        and(
          eq(notificationSettings.appId, context.appId),
          inArray(notificationSettings.userId, jsonList(recipients)),
          or(
            eq(scope, "user"),
            and(eq(scope, "module"), eq(scopeId, context.module)),
            context.channelId === undefined
              ? undefined
              : and(eq(scope, "channel"), eq(scopeId, context.channelId)),
          ),
        ),
      )
      .all();
    return audienceDecision(context.actorRoles, recipients, rows);
  }
}
