import type { LiveEventType } from "../events/live-event.js";

export type AppMode = "direct" | "webhook";
export type WebhookFallback = "drop" | "send";
/** What happens to a notification a snooze or quiet hours hold back: not sent, or sent without sound. */
export type QuietDelivery = "drop" | "silent";
export const quietDeliveries = ["drop", "silent"] as const satisfies readonly QuietDelivery[];
/** Whether the gateway keeps each user's unread count and sends it as the app icon's badge. */
export type BadgeMode = "count" | "off";
export const badgeModes = ["count", "off"] as const satisfies readonly BadgeMode[];
export type SecretKind = "server_key" | "event_secret" | "webhook_secret";

/** What happens to an event of a type the webhook does not take: rendered and sent as in direct mode, or nothing. */
export type OtherEvents = "direct" | "drop";
export const otherEventsChoices = ["direct", "drop"] as const satisfies readonly OtherEvents[];

/** Who turned a webhook off: its failures (it is probed, and comes back by itself) or an operator. */
export type WebhookDisabledBy = "failures" | "operator";
export const webhookDisablers = ["failures", "operator"] as const satisfies readonly WebhookDisabledBy[];

export interface WebhookDisabled {
  at: Date;
  reason: string;
  by: WebhookDisabledBy;
}

export interface WebhookSettings {
  url: string;
  timeoutMs: number;
  fallback: WebhookFallback;
  /** The event types forwarded to the webhook; null: every type. */
  eventTypes: LiveEventType[] | null;
  otherEvents: OtherEvents;
  /** Consecutive failed calls that turn the webhook off, once they span `disableAfterMinutes`. */
  disableAfterFailures: number;
  disableAfterMinutes: number;
  /** Set while the webhook is off: its events take the fallback without a call. */
  disabled: WebhookDisabled | null;
}

/** The breaker's defaults: a hundred failures in a row over an hour. */
export const webhookBreakerDefaults = { disableAfterFailures: 100, disableAfterMinutes: 60 } as const;

/** Where an event of a webhook-mode app goes: to the webhook, rendered and sent directly, or nowhere. */
export type WebhookRoute = "forward" | "direct" | "drop";

export function webhookRouteOf(webhook: WebhookSettings, eventType: string): WebhookRoute {
  if (webhook.eventTypes === null || (webhook.eventTypes as readonly string[]).includes(eventType))
    return "forward";
  return webhook.otherEvents;
}

/** The mode an event is handled in: a webhook-mode app's events of a type it sends directly are direct. */
export function eventModeOf(app: Pick<App, "mode" | "webhook">, eventType: string): AppMode {
  if (app.mode !== "webhook" || !app.webhook) return app.mode;
  return webhookRouteOf(app.webhook, eventType) === "direct" ? "direct" : "webhook";
}

/** What an app may be told about at its status callback URL (docs/api.md, "Status callbacks"). */
export const statusCallbackTypes = [
  "device.token_removed",
  "event.completed",
  "event.failed",
  "webhook.disabled",
] as const;
export type StatusCallbackType = (typeof statusCallbackTypes)[number];

export interface StatusCallbackSettings {
  url: string;
  /** The callback types the app wants, each once. */
  events: StatusCallbackType[];
}

/** A Google service account JSON, as downloaded from the Firebase console. */
export interface FcmServiceAccount {
  type: "service_account";
  project_id: string;
  client_email: string;
  private_key: string;
  token_uri?: string;
  [field: string]: unknown;
}

export interface ApnsCredentials {
  teamId: string;
  keyId: string;
  privateKey: string;
  bundleId: string;
}

/** What an app signs Web Push requests with (RFC 8292): its contact and its VAPID key pair, base64url. */
export interface WebPushCredentials {
  /** A `mailto:` or `https:` URL the push services may contact. */
  subject: string;
  vapidPublicKey: string;
  vapidPrivateKey: string;
}

/**
 * A named set of provider credentials under one app (a white-label or staging build): devices
 * registered with its name are sent through it; a provider it leaves out is the app's own.
 */
export interface AppVariant {
  fcm: FcmServiceAccount | null;
  apns: ApnsCredentials | null;
  webpush: WebPushCredentials | null;
}

export interface App {
  id: string;
  name: string;
  mode: AppMode;
  /** The network-level notification toggle. */
  pushEnabled: boolean;
  requireAuthToken: boolean;
  notificationTtlSeconds: number;
  quietDelivery: QuietDelivery;
  badge: BadgeMode;
  /** Seconds after a user's first message notification from a channel during which the next ones fold into it; 0: off. */
  burstWindowSeconds: number;
  /** The language of a recipient whose device and user have none, canonical BCP 47. */
  defaultLocale: string;
  /** Public key that identifies the app to mobile clients. */
  apiKey: string;
  webhook: WebhookSettings | null;
  /** Where the gateway reports what became of tokens and events, signed like webhook deliveries. */
  statusCallback: StatusCallbackSettings | null;
  fcm: FcmServiceAccount | null;
  apns: ApnsCredentials | null;
  webpush: WebPushCredentials | null;
  /** By name; empty when the app has none. */
  variants: Record<string, AppVariant>;
  createdAt: Date;
  updatedAt: Date;
}

/** The app's settings of one value each, which a new app is given and a change may name. */
export type AppBasicSettings = Pick<
  App,
  | "name"
  | "mode"
  | "pushEnabled"
  | "requireAuthToken"
  | "notificationTtlSeconds"
  | "quietDelivery"
  | "badge"
  | "burstWindowSeconds"
  | "defaultLocale"
>;

/** A secret that verifies: the current one and those rotated out less than the overlap ago. */
export interface ActiveSecret {
  value: string;
  expiresAt: Date | null;
}

export interface AppSecrets {
  serverKey: string;
  eventSecret: string;
  webhookSecret: string;
}

/**
 * The app as a device of `variant` is sent through: the variant's credentials over the app's own.
 * Its id names the app and the variant (`app_…/enterprise`), so that the provider clients kept
 * per app are kept per app and variant.
 */
export function appForVariant(app: App, variant: string | null | undefined): App {
  const credentials = variant ? app.variants[variant] : undefined;
  if (!credentials || !variant) return app;
  return {
    ...app,
    id: `${app.id}/${variant}`,
    fcm: credentials.fcm ?? app.fcm,
    apns: credentials.apns ?? app.apns,
    webpush: credentials.webpush ?? app.webpush,
  };
}
