import { apnsDeviceToken, fcmRegistrationToken } from "../../simulators/device-tokens.js";
import { appProviderSettings } from "../../simulators/simulated-credentials.js";
import type { SimulatedAppCredentials, WebPushSubscription } from "../../simulators/simulators.js";

/** The demo's people: who they are and which simulated devices they carry. */
export const demoUsers = [
  { id: "u_alice", name: "Alice", devices: ["android"] },
  { id: "u_bob", name: "Bob", devices: ["ios", "voip"] },
  { id: "u_chloe", name: "Chloe", devices: ["android", "ios"] },
  { id: "u_dan", name: "Dan", devices: ["web"] },
] as const;

export interface DemoApp {
  id: string;
  apiKey: string;
  serverKey: string;
  eventSecret: string;
  /** The key browsers subscribe with (`applicationServerKey`). */
  vapidPublicKey: string;
}

/** Which user a device token belongs to, for showing arrivals. */
export type TokenOwners = Map<string, { user: string; device: string }>;

async function call<T>(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: unknown },
): Promise<T> {
  const response = await fetch(url, {
    method: init.method,
    headers: { "content-type": "application/json", ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method} ${url} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Creates the demo app through the API, with the credentials the simulators accept. */
export async function createDemoApp(
  gatewayUrl: string,
  adminToken: string,
  credentials: SimulatedAppCredentials,
) {
  const app = await call<{
    id: string;
    api_key: string;
    server_key: string;
    event_secret: string;
    webpush: { vapid_public_key: string };
  }>(`${gatewayUrl}/v1/apps`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}` },
    body: {
      name: "Pushgate demo",
      require_auth_token: false,
      ...appProviderSettings(credentials),
      webpush: { subject: "mailto:demo@pushgate.invalid" },
    },
  });
  return {
    id: app.id,
    apiKey: app.api_key,
    serverKey: app.server_key,
    eventSecret: app.event_secret,
    vapidPublicKey: app.webpush.vapid_public_key,
  } satisfies DemoApp;
}

/** The demo registers iPhones as `apns` (production) tokens, Android phones as FCM tokens. */
function deviceToken(device: string): string {
  return device === "ios" ? apnsDeviceToken("production") : fcmRegistrationToken();
}

/**
 * Signs each demo user in, as a mobile client would, and registers their simulated devices; a
 * browser subscribes on the Web Push simulator with the app's VAPID key, as `pushManager.subscribe` would.
 */
export async function registerDemoDevices(
  gatewayUrl: string,
  app: DemoApp,
  subscribeWebPush: (applicationServerKey: string) => WebPushSubscription,
): Promise<TokenOwners> {
  const owners: TokenOwners = new Map();
  for (const user of demoUsers) {
    const session = await call<{ session_token: string }>(`${gatewayUrl}/v1/sessions`, {
      method: "POST",
      headers: { "x-api-key": app.apiKey },
      body: { user_id: user.id },
    });
    const hasVoip = (user.devices as readonly string[]).includes("voip");
    for (const device of user.devices) {
      if (device === "voip") continue;
      const subscription = device === "web" ? subscribeWebPush(app.vapidPublicKey) : undefined;
      const token = subscription ? subscription.endpoint : deviceToken(device);
      const voipToken = deviceToken("ios");
      const registration = subscription
        ? { provider: "webpush", subscription, device_id: `${user.id}-web` }
        : device === "ios"
          ? {
              provider: "apns",
              token,
              device_id: `${user.id}-ios`,
              ...(hasVoip ? { voip_provider: "apns_voip", voip_token: voipToken } : {}),
            }
          : { provider: "gcm", token, device_id: `${user.id}-${device}` };
      if (device === "ios" && hasVoip) owners.set(voipToken, { user: user.name, device: "iPhone (VoIP)" });
      await call(`${gatewayUrl}/v1/users/@me/devices`, {
        method: "POST",
        headers: { authorization: `Bearer ${session.session_token}` },
        body: registration,
      });
      owners.set(token, { user: user.name, device: device === "ios" ? "iPhone" : device });
    }
  }
  return owners;
}

export interface EventStatus {
  status: string;
  recipients: number;
  suppressed: number;
  deliveries: { sent: number; failed: number; invalid_tokens: number };
}

/** Polls the event-status API until the event has ended, or gives up after `timeoutMs`. */
export async function waitUntilEnded(gatewayUrl: string, app: DemoApp, eventId: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await call<EventStatus>(
      `${gatewayUrl}/v1/apps/${app.id}/events/${encodeURIComponent(eventId)}`,
      {
        method: "GET",
        headers: { authorization: `Bearer ${app.serverKey}` },
      },
    );
    if (["completed", "failed", "expired"].includes(status.status) || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
