import { sql } from "drizzle-orm";
import { batchPerTurn } from "../../common/batch-per-turn.js";
import type {
  AudienceDecision,
  AudienceFilter,
  NotificationContext,
  NotificationModule,
} from "../../domain/audience/audience.js";
import {
  type ApplicableToggles,
  type ChannelLevel,
  type RoleFilter,
  verdictFor,
} from "../../domain/notification-settings/notification-settings.js";
import { type QuietHours, WallClock } from "../../domain/notification-settings/quiet-hours.js";
import type { SqlDatabase } from "../sql/database.js";
import { statement } from "../sql/statement.js";
import { readBoolean, readJson, readOptionalTime } from "../sql/values.js";
import type { SettingScope } from "./notification-settings.js";

interface ApplicableRow {
  user_id: string;
  scope: SettingScope;
  enabled: unknown;
  role_filter: unknown;
  level: ChannelLevel | null;
  muted_until: unknown;
  snoozed_until: unknown;
  quiet_hours: unknown;
  locale: string | null;
}

/**
 * The stored toggles that may stop a notification, for a whole batch of recipients: each
 * recipient's user row (switch, snooze, quiet hours, and the user's locale, so webhook mode
 * learns each recipient's language without another round trip), the module's, and the channel's when
 * there is one (a null `channelId` matches no row). The list is one parameter, so a batch of
 * any size is one statement and never meets SQLite's limit on bound variables. Times and time
 * zones are judged afterwards, on the rows, with the runtime's zone data.
 */
const findApplicableToggles = statement<
  { appId: string; userIds: string[]; module: NotificationModule; channelId: string | null },
  ApplicableRow
>(
  "audience.find_applicable_toggles",
  (
    p,
    d,
  ) => sql`select user_id, scope, enabled, role_filter, level, muted_until, snoozed_until, quiet_hours, locale
    from notification_settings
    where app_id = ${p.appId} and user_id in ${d.list(p.userIds)}
      and (scope = 'user'
        or (scope = 'module' and scope_id = ${p.module})
        or (scope = 'channel' and scope_id = ${p.channelId}))`,
);

/**
 * The same rows for the lookups of several notifications at once (the worker's jobs of one
 * event-loop turn): one row asked per recipient, numbered by its lookup. Joined on the primary
 * key's first columns, so each recipient is an index lookup.
 */
const findApplicableTogglesOfMany = statement<{ asked: string }, ApplicableRow & { lookup: number }>(
  "audience.find_applicable_toggles_of_many",
  (p, d) => sql`select asked.lookup, settings.user_id, settings.scope, settings.enabled, settings.role_filter,
      settings.level, settings.muted_until, settings.snoozed_until, settings.quiet_hours, settings.locale
    from ${d.jsonRows(p.asked, { lookup: "integer", app_id: "text", user_id: "text", module: "text", channel_id: "text" })} as asked
    join notification_settings as settings on settings.app_id = asked.app_id and settings.user_id = asked.user_id
      and (settings.scope = 'user'
        or (settings.scope = 'module' and settings.scope_id = asked.module)
        or (settings.scope = 'channel' and settings.scope_id = asked.channel_id))`,
);

/**
 * Lookups of at most this many recipients (a 1:1 message, a small group) wait for the others of
 * their event-loop turn; a bigger one goes alone, as a list, not as a row per recipient.
 */
const batchedRecipientsMax = 64;

interface TogglesLookup {
  context: NotificationContext;
  recipients: string[];
}

function togglesByUser(rows: ApplicableRow[]): Map<string, ApplicableToggles> {
  const toggles = new Map<string, ApplicableToggles>();
  for (const row of rows) {
    const userToggles = toggles.get(row.user_id) ?? {};
    switch (row.scope) {
      case "user":
        userToggles.user = {
          enabled: readBoolean(row.enabled),
          snoozedUntil: readOptionalTime(row.snoozed_until),
          quietHours: readJson<QuietHours | null>(row.quiet_hours),
        };
        break;
      case "module":
        userToggles.module = {
          enabled: readBoolean(row.enabled),
          roleFilter: readJson<RoleFilter>(row.role_filter),
        };
        break;
      case "channel":
        userToggles.channel = {
          level: row.level as ChannelLevel,
          mutedUntil: readOptionalTime(row.muted_until),
        };
        break;
    }
    toggles.set(row.user_id, userToggles);
  }
  return toggles;
}

/** The user and channel toggles of a whole batch of recipients, read in one statement. */
export class SqlAudienceFilter implements AudienceFilter {
  private readonly findBatched: (lookup: TogglesLookup) => Promise<ApplicableRow[]>;

  constructor(private readonly db: SqlDatabase) {
    this.findBatched = batchPerTurn((lookups: TogglesLookup[]) => this.findMany(lookups));
  }

  async filter(context: NotificationContext, userIds: string[]): Promise<AudienceDecision> {
    const decision: AudienceDecision = {
      allowed: [],
      silent: [],
      suppressed: [],
      suppressedBy: {},
      locales: {},
    };
    const recipients = [...new Set(userIds)];
    if (recipients.length === 0) return decision;
    const rows =
      recipients.length <= batchedRecipientsMax
        ? await this.findBatched({ context, recipients })
        : await this.findOne({ context, recipients });
    const toggles = togglesByUser(rows);
    const locales = new Map(
      rows.flatMap((row) => (row.scope === "user" && row.locale ? [[row.user_id, row.locale]] : [])),
    );
    const mentioned = new Set(context.mentionedUserIds);
    const clock = new WallClock(context.at);
    for (const userId of recipients) {
      const mentionsRecipient = mentioned.has(userId);
      const verdict = verdictFor(toggles.get(userId) ?? {}, {
        context,
        mentionsRecipient,
        mentionsAll: mentionsRecipient || context.mentionsEveryone,
        clock,
      });
      if ("send" in verdict) {
        decision.allowed.push(userId);
        const locale = locales.get(userId);
        if (locale) decision.locales[userId] = locale;
        if (verdict.send === "silent") decision.silent.push(userId);
        continue;
      }
      decision.suppressed.push(userId);
      decision.suppressedBy[verdict.stoppedBy] = (decision.suppressedBy[verdict.stoppedBy] ?? 0) + 1;
    }
    return decision;
  }

  private findOne({ context, recipients }: TogglesLookup): Promise<ApplicableRow[]> {
    return this.db.all(findApplicableToggles, {
      appId: context.appId,
      userIds: recipients,
      module: context.module,
      channelId: context.channelId ?? null,
    });
  }

  private async findMany(lookups: TogglesLookup[]): Promise<ApplicableRow[][]> {
    const [only] = lookups;
    if (lookups.length === 1 && only) return [await this.findOne(only)];
    const asked = lookups.flatMap(({ context, recipients }, lookup) =>
      recipients.map((userId) => ({
        lookup,
        app_id: context.appId,
        user_id: userId,
        module: context.module,
        channel_id: context.channelId ?? null,
      })),
    );
    const rowsOf = lookups.map((): ApplicableRow[] => []);
    for (const row of await this.db.all(findApplicableTogglesOfMany, { asked: JSON.stringify(asked) }))
      rowsOf[row.lookup]?.push(row);
    return rowsOf;
  }
}
