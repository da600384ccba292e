import type { TokenProvider, WebPushKeys } from "../../providers/push-provider.js";

export type Platform = "ios" | "android" | "web";

export const tokenProviders = [
  "gcm",
  "apns",
  "apns_internal",
  "apns_voip",
  "apns_internal_voip",
  "webpush",
  "expo",
] as const satisfies readonly TokenProvider[];

export const platforms = ["ios", "android", "web"] as const satisfies readonly Platform[];

export interface PushToken {
  provider: TokenProvider;
  /** A Web Push subscription's endpoint. */
  token: string;
  /** A Web Push subscription's keys. */
  keys?: WebPushKeys;
}

/** What a client registers for its device (docs/api.md §5). */
export interface DeviceRegistration {
  /** The client's stable device id; without one, the device is identified by its push token. */
  deviceId: string | null;
  /** Platform of `token`. */
  platform: Platform;
  token: PushToken;
  /** The PushKit token of an iOS device, used only for calls. */
  voip: PushToken | null;
  /** The device's language, canonical BCP 47; null leaves it to the user's. */
  locale: string | null;
  /** The app variant (build) the device runs; null: the app's own credentials. */
  variant: string | null;
}

/** Who a registration binds the device to. */
export interface DeviceOwner {
  appId: string;
  userId: string;
  /** The session that registers: signing it out removes the device's tokens. */
  sessionId: string;
}

/** How a server-side unregistration names the device (docs/api.md §5). */
export type DeviceTarget = { deviceId: string } | PushToken;

export function isVoipProvider(provider: TokenProvider): boolean {
  return provider === "apns_voip" || provider === "apns_internal_voip";
}

export function isApnsProvider(provider: TokenProvider): boolean {
  return provider.startsWith("apns");
}

/** The platforms a token of `provider` may be on, the first when the client names none. */
function platformsOf(provider: TokenProvider): Platform[] {
  if (isApnsProvider(provider)) return ["ios"];
  if (provider === "webpush") return ["web"];
  if (provider === "expo") return ["android", "ios"];
  return ["android", "web"];
}

/**
 * The platform a token of `provider` is on (docs/api.md §5): APNs tokens are iOS ones, Web Push
 * subscriptions web ones, FCM tokens Android ones unless the client says web, Expo tokens
 * Android ones unless it says iOS. Null when `requested` contradicts the provider.
 */
export function platformOf(provider: TokenProvider, requested?: Platform): Platform | null {
  const allowed = platformsOf(provider);
  if (requested === undefined) return allowed[0] as Platform;
  return allowed.includes(requested) ? requested : null;
}

/** Enough of a token to tell two apart in a list; the whole of it would hand out the device's credential. */
export function tokenTail(token: string): string {
  return `…${token.slice(-8)}`;
}
