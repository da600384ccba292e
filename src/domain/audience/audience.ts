import type { TokenProvider } from "../../providers/push-provider.js";

export type NotificationModule = "chat" | "social" | "video";

/** What a notification is about, as far as the user and channel toggles care (docs/api.md §6). */
export interface NotificationContext {
  appId: string;
  module: NotificationModule;
  channelId?: string;
  actorRoles: string[];
}

/** Which toggle stopped a notification: the app's network switch, or a user's own settings. */
export type SuppressingToggle = "network" | "user" | "module" | "role_filter" | "channel";

export interface AudienceDecision {
  allowed: string[];
  /** Recipients a toggle turned off. */
  suppressed: string[];
  /** How many of them each toggle stopped (the first one that applies). */
  suppressedBy: Partial<Record<SuppressingToggle, number>>;
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
