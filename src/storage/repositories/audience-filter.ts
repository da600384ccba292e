import { sql } from "drizzle-orm";
import type {
  AudienceDecision,
  AudienceFilter,
  NotificationContext,
  NotificationModule,
} from "../../domain/audience/audience.js";
import {
  type ApplicableToggles,
  type RoleFilter,
  suppressingToggle,
} from "../../domain/notification-settings/notification-settings.js";
import type { SqlDatabase } from "../sql/database.js";
import { statement } from "../sql/statement.js";
import { readBoolean, readJson } from "../sql/values.js";
import type { SettingScope } from "./notification-settings.js";

interface ApplicableRow {
  user_id: string;
  scope: SettingScope;
  enabled: unknown;
  role_filter: unknown;
}

/**
 * The stored toggles that may stop a notification, for a whole batch of recipients: each
 * recipient's user switch, the module's, and the channel's when there is one (a null
 * `channelId` matches no row). The list is one parameter, so a batch of any size is one
 * statement and never meets SQLite's limit on bound variables.
 */
const findApplicableToggles = statement<
  { appId: string; userIds: string[]; module: NotificationModule; channelId: string | null },
  ApplicableRow
>(
  "audience.find_applicable_toggles",
  (p, d) => sql`select user_id, scope, enabled, role_filter from notification_settings
    where app_id = ${p.appId} and user_id in ${d.list(p.userIds)}
      and (scope = 'user'
        or (scope = 'module' and scope_id = ${p.module})
        or (scope = 'channel' and scope_id = ${p.channelId}))`,
);

function togglesByUser(rows: ApplicableRow[]): Map<string, ApplicableToggles> {
  const toggles = new Map<string, ApplicableToggles>();
  for (const row of rows) {
    const userToggles = toggles.get(row.user_id) ?? {};
    const enabled = readBoolean(row.enabled);
    if (row.scope === "module") {
      userToggles.module = { enabled, roleFilter: readJson<RoleFilter>(row.role_filter) };
    } else {
      userToggles[row.scope] = enabled;
    }
    toggles.set(row.user_id, userToggles);
  }
  return toggles;
}

/** The user and channel toggles of a whole batch of recipients, read in one statement. */
export class SqlAudienceFilter implements AudienceFilter {
  constructor(private readonly db: SqlDatabase) {}

  async filter(context: NotificationContext, userIds: string[]): Promise<AudienceDecision> {
    const decision: AudienceDecision = { allowed: [], suppressed: [], suppressedBy: {} };
    const recipients = [...new Set(userIds)];
    if (recipients.length === 0) return decision;
    const rows = await this.db.all(findApplicableToggles, {
      appId: context.appId,
      userIds: recipients,
      module: context.module,
      channelId: context.channelId ?? null,
    });
    const toggles = togglesByUser(rows);
    for (const userId of recipients) {
      const stoppedBy = suppressingToggle(toggles.get(userId) ?? {}, context.actorRoles);
      if (!stoppedBy) {
        decision.allowed.push(userId);
        continue;
      }
      decision.suppressed.push(userId);
      decision.suppressedBy[stoppedBy] = (decision.suppressedBy[stoppedBy] ?? 0) + 1;
    }
    return decision;
  }
}
