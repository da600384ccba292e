export type AppMode = "direct" | "webhook";
export type WebhookFallback = "drop" | "send";
/** What happens to a notification a snooze or quiet hours hold back: not sent, or sent without sound. */
export type QuietDelivery = "drop" | "silent";
export const quietDeliveries = ["drop", "silent"] as const satisfies readonly QuietDelivery[];
/** Whether the gateway keeps each user's unread count and sends it as the app icon's badge. */
export type BadgeMode = "count" | "off";
export const badgeModes = ["count", "off"] as const satisfies readonly BadgeMode[];
export type SecretKind = "server_key" | "event_secret" | "webhook_secret";

export interface WebhookSettings {
  url: string;
  timeoutMs: number;
  fallback: WebhookFallback;
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
