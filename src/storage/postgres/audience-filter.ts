import { and, eq, or } from "drizzle-orm";
import type {
  AudienceDecision,
  AudienceFilter,
  NotificationContext,
} from "../../domain/audience/audience.js";
import { audienceDecision } from "../mapping/notification-settings.js";
import { isAnyOf } from "./any-of.js";
import type { PostgresDb } from "./postgres-store.js";
import { notificationSettings } from "./schema/index.js";

/** The user and channel toggles of a whole batch of recipients, read in one statement. */
export class PostgresAudienceFilter implements AudienceFilter {
  constructor(private readonly db: PostgresDb) {}

  async filter(context: NotificationContext, userIds: string[]): Promise<AudienceDecision> {
    const recipients = [...new Set(userIds)];
    if (recipients.length === 0) return { allowed: [], suppressed: [], suppressedBy: {} };
    const { scope, scopeId } = notificationSettings;
    const rows = await this.db
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
          isAnyOf(notificationSettings.userId, recipients),
          or(
            eq(scope, "user"),
            and(eq(scope, "module"), eq(scopeId, context.module)),
            context.channelId === undefined
              ? undefined
              : and(eq(scope, "channel"), eq(scopeId, context.channelId)),
          ),
        ),
      );
    return audienceDecision(context.actorRoles, recipients, rows);
  }
}
