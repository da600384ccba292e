import type { NotificationContext, NotificationModule, SuppressingToggle } from "../audience/audience.js";
import { type QuietAllowance, type QuietHours, runningQuietWindow, type WallClock } from "./quiet-hours.js";

export const notificationModules = [
  "chat",
  "social",
  "video",
] as const satisfies readonly NotificationModule[];

/** Whom a module's notifications may come from, by the actor's roles (docs/api.md §6). */
export type RoleFilter = { only: string[] } | { not: string[] } | null;

export interface ModuleSettings {
  module: NotificationModule;
  enabled: boolean;
  roleFilter: RoleFilter;
}

/** The user level of the toggles, for all of the user's devices. */
export interface UserNotificationSettings {
  enabled: boolean;
  /** One entry per module, in `notificationModules` order. */
  modules: ModuleSettings[];
  /** Nothing comes through before then (but what `quietHours.allow` names); null: no snooze. */
  snoozedUntil: Date | null;
  quietHours: QuietHours | null;
  /** The user's language, canonical BCP 47; a device's own comes first, the app's default after. */
  locale: string | null;
}

/** A `PUT` changes only what it names. */
export interface UserSettingsChange {
  enabled?: boolean;
  modules?: ({ module: NotificationModule } & Partial<Omit<ModuleSettings, "module">>)[];
  snoozedUntil?: Date | null;
  quietHours?: QuietHours | null;
  locale?: string | null;
}

export const defaultModuleSettings = (module: NotificationModule): ModuleSettings => ({
  module,
  enabled: true,
  roleFilter: null,
});

export const channelLevels = ["all", "mentions", "none"] as const;
/** `all` notifications of a channel, only `mentions` (and calls), or `none`. */
export type ChannelLevel = (typeof channelLevels)[number];

/** A user's settings for one channel. */
export interface ChannelSettings {
  level: ChannelLevel;
  /** Until then the channel counts as `none`; afterwards its level applies again. */
  mutedUntil: Date | null;
}

export interface ChannelSettingsChange {
  level?: ChannelLevel;
  mutedUntil?: Date | null;
}

/** The settings of a channel a user has set apart from the default, for a "muted chats" list. */
export interface ChannelSettingsEntry extends ChannelSettings {
  channelId: string;
}

export const defaultChannelSettings: ChannelSettings = { level: "all", mutedUntil: null };

/** A point in time still ahead of `at`: a running snooze or mute. */
export function stillAhead(until: Date | null, at: Date): until is Date {
  return until !== null && until.getTime() > at.getTime();
}

/** Whether the channel notifies at all at `at` (the v1 `enabled`): not while `none`, nor during a mute. */
export function channelNotifies(settings: ChannelSettings, at: Date): boolean {
  return settings.level !== "none" && !stillAhead(settings.mutedUntil, at);
}

/** The stored user row of the toggles, as far as a notification cares. */
export interface UserToggles {
  enabled: boolean;
  snoozedUntil: Date | null;
  quietHours: QuietHours | null;
}

/** The stored toggles of one user that bear on one notification; absent ones are at their default. */
export interface ApplicableToggles {
  user?: UserToggles;
  module?: Omit<ModuleSettings, "module">;
  channel?: ChannelSettings;
}

/** What the notification means to one recipient. */
export interface RecipientNotification {
  context: Pick<NotificationContext, "kind" | "actorRoles" | "quietDelivery">;
  /** The message names this recipient. */
  mentionsRecipient: boolean;
  /** The message names this recipient or everyone. */
  mentionsAll: boolean;
  clock: WallClock;
}

/** What the checks decide for one recipient: sent, sent without sound, or stopped by a check. */
export type Verdict = { send: "normal" | "silent" } | { stoppedBy: Exclude<SuppressingToggle, "network"> };

export function roleFilterAllows(filter: RoleFilter, actorRoles: string[]): boolean {
  if (filter === null) return true;
  if ("only" in filter) return filter.only.some((role) => actorRoles.includes(role));
  return !filter.not.some((role) => actorRoles.includes(role));
}

function allowedThrough(allow: QuietAllowance[], notification: RecipientNotification): boolean {
  const { kind } = notification.context;
  return (
    (kind === "call" && allow.includes("call")) ||
    (kind === "custom" && allow.includes("custom")) ||
    (kind === "message" && notification.mentionsRecipient && allow.includes("mention"))
  );
}

/** Which of snooze and quiet hours holds the notification back at the moment, if either. */
function holdingBack(
  user: UserToggles,
  notification: RecipientNotification,
): "snooze" | "quiet_hours" | null {
  const snoozed = stillAhead(user.snoozedUntil, notification.clock.instant);
  const quiet =
    !snoozed &&
    user.quietHours !== null &&
    runningQuietWindow(user.quietHours, notification.clock) !== undefined;
  if (!snoozed && !quiet) return null;
  if (allowedThrough(user.quietHours?.allow ?? [], notification)) return null;
  return snoozed ? "snooze" : "quiet_hours";
}

/**
 * The user and channel levels a notification must pass, in the order of docs/api.md §6: the
 * user's switch, snooze, quiet hours, the module, its role filter, the channel's `none` or a
 * running mute, then `mentions` without a mention. Under `quiet_delivery: silent` what a snooze
 * or quiet hours hold back is not stopped but sent without sound, if the later checks pass it.
 */
export function verdictFor(toggles: ApplicableToggles, notification: RecipientNotification): Verdict {
  const { user, module, channel } = toggles;
  if (user && !user.enabled) return { stoppedBy: "user" };
  const heldBy = user ? holdingBack(user, notification) : null;
  if (heldBy && notification.context.quietDelivery === "drop") return { stoppedBy: heldBy };
  if (module && !module.enabled) return { stoppedBy: "module" };
  if (module && !roleFilterAllows(module.roleFilter, notification.context.actorRoles))
    return { stoppedBy: "role_filter" };
  if (channel && !channelNotifies(channel, notification.clock.instant)) return { stoppedBy: "channel" };
  if (channel?.level === "mentions" && !notification.mentionsAll && notification.context.kind !== "call")
    return { stoppedBy: "mentions_only" };
  return { send: heldBy ? "silent" : "normal" };
}
