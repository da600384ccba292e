import type { TokenProvider, WebPushKeys } from "../../providers/push-provider.js";
import type { QuietDelivery } from "../apps/app.js";

export type NotificationModule = "chat" | "social" | "video";

/** What a notification is, as far as a channel's `mentions` level and a snooze's `allow` care. */
export type NotificationKind = "message" | "call" | "custom" | "other";

/** What a notification is about, as far as the user and channel toggles care (docs/api.md §6). */
export interface NotificationContext {
  appId: string;
  module: NotificationModule;
  channelId?: string;
  actorRoles: string[];
  kind: NotificationKind;
  /** The users a message mentions by name. */
  mentionedUserIds: string[];
  /** `@channel`, `@here`: a mention of every member. */
  mentionsEveryone: boolean;
  /** What becomes of a notification a snooze or quiet hours hold back. */
  quietDelivery: QuietDelivery;
  /** The moment the checks are made for: snoozes, mutes and quiet hours are read at it. */
  at: Date;
}

/**
 * The checks a notification goes through for one recipient, in their order, by the name the
 * event status counts them under: the app's network switch, then the user's own settings.
 */
export const suppressingToggles = [
  "network",
  "user",
  "snooze",
  "quiet_hours",
  "module",
  "role_filter",
  "channel",
  "mentions_only",
] as const;

/** Which check stopped a notification (the first that applied). */
export type SuppressingToggle = (typeof suppressingToggles)[number];

export interface AudienceDecision {
  /** Recipients the notification goes to. */
  allowed: string[];
  /** Those of `allowed` that a snooze or quiet hours hold back, under `quiet_delivery: silent`: sent without sound. */
  silent: string[];
  /** Recipients a toggle turned off. */
  suppressed: string[];
  /** How many of them each toggle stopped (the first one that applies). */
  suppressedBy: Partial<Record<SuppressingToggle, number>>;
  /** The user's own `locale` setting of those of `allowed` who have one. */
  locales: Record<string, string>;
}

/**
 * Applies the user and channel levels of the toggles to many recipients at once
 * (one query per batch, not per recipient). The network level is the app's `pushEnabled`.
 */
export interface AudienceFilter {
  filter(context: NotificationContext, userIds: string[]): Promise<AudienceDecision>;
}

export interface RecipientToken {
  userId: string;
  provider: TokenProvider;
  token: string;
  platform: "ios" | "android" | "web";
  /** A VoIP token (PushKit), used only for calls. */
  voip: boolean;
  /** Tokens of one device share this, so a call can prefer its VoIP token. */
  deviceId: string;
  /** The `device_id` the client registered the device with; null for a device known by its token. */
  clientDeviceId: string | null;
  /** The recipient's language on this device: the device's, else the user's; null: the app's default. */
  locale: string | null;
  /** A Web Push subscription's keys; `token` is then its endpoint. */
  keys?: WebPushKeys;
  /** The app variant the device registered with. */
  variant?: string;
}

/** The device tokens of recipients, for the fan-out. */
export interface TokenDirectory {
  /** Every token bound to any of the users (owners and sync-bound accounts), in one query per batch. */
  tokensOf(appId: string, userIds: string[]): Promise<RecipientToken[]>;
  /** Those of the users who have at least one token (owned or sync-bound), in one query. */
  usersWithTokens(appId: string, userIds: string[]): Promise<string[]>;
  /** A provider reported the token dead. */
  removeToken(appId: string, token: string): Promise<void>;
}

/** Whose a token is: the device's owner and the device, as its client names it. */
export interface TokenOwner {
  userId: string;
  /** The `device_id` the client registered with; null for a device identified by its token. */
  deviceId: string | null;
  provider: TokenProvider;
}

export interface TokenOwners {
  /** Null when no device of the app has the token. */
  ownerOf(appId: string, token: string): Promise<TokenOwner | null>;
}
