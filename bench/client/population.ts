import { apnsDeviceToken, fcmRegistrationToken } from "../../src/simulators/device-tokens.js";
import { appProviderSettings } from "../../src/simulators/simulated-credentials.js";
import type { SimulatedAppCredentials, WebPushSubscription } from "../../src/simulators/simulators.js";
import type { SimulatorLink } from "../harness/simulator-link.js";
import { runClosedLoop } from "../load/closed-loop.js";
import type { GatewayClient } from "./gateway-client.js";
import type { EventSource } from "./live-events.js";

export interface BenchApp extends EventSource {
  apiKey: string;
  serverKey: string;
  credentials: SimulatedAppCredentials;
  /** The key browsers subscribe with. */
  vapidPublicKey: string;
}

/** Creates an app as the operator, with the credentials the simulators accept. */
export async function createApp(
  client: GatewayClient,
  adminToken: string,
  credentials: SimulatedAppCredentials,
  fields: Record<string, unknown> = {},
): Promise<BenchApp> {
  const answer = await client.expect(201, "POST", "/v1/apps", {
    token: adminToken,
    body: {
      name: "Bench app",
      require_auth_token: false,
      ...appProviderSettings(credentials),
      webpush: { subject: "mailto:bench@pushgate.invalid" },
      ...fields,
    },
  });
  const app = answer.body as {
    id: string;
    api_key: string;
    server_key: string;
    event_secret: string;
    webpush: { vapid_public_key: string };
  };
  return {
    id: app.id,
    apiKey: app.api_key,
    serverKey: app.server_key,
    eventSecret: app.event_secret,
    credentials,
    vapidPublicKey: app.webpush.vapid_public_key,
  };
}

/** A user with one device: an Android phone (FCM), an iPhone (APNs production) or a browser (Web Push). */
export interface Member {
  userId: string;
  provider: "gcm" | "apns" | "webpush";
  /** A browser's subscription endpoint. */
  token: string;
  subscription?: WebPushSubscription;
  /** The device's language: half the members English, half French, on both providers. */
  locale: "en" | "fr";
}

/** A token in the shape FCM issues them (the FCM simulator refuses any other). */
export function fcmToken(): string {
  return fcmRegistrationToken();
}

/** A production APNs device token (members register `apns` tokens). */
export function apnsToken(): string {
  return apnsDeviceToken("production");
}

/** `count` users, every other one on FCM, the rest on APNs; every other pair French. */
export function newMembers(count: number, prefix: string): Member[] {
  return Array.from({ length: count }, (_, index) => {
    const locale = index % 4 < 2 ? "en" : "fr";
    return index % 2 === 0
      ? { userId: `${prefix}-${index}`, provider: "gcm", token: fcmToken(), locale }
      : { userId: `${prefix}-${index}`, provider: "apns", token: apnsToken(), locale };
  });
}

/**
 * Every `every`-th member from `from` on becomes a browser subscribed on the Web Push simulator
 * with the app's key: the fan-out's share of Web Push, kept out of the 1:1 recipients before `from`.
 */
export async function withWebPushShare(
  members: Member[],
  app: BenchApp,
  sims: Pick<SimulatorLink, "subscribeWebPush">,
  options: { from: number; every: number },
): Promise<Member[]> {
  const browsers = members.filter(
    (_, index) => index >= options.from && index % options.every === options.every - 1,
  );
  const subscriptions = await sims.subscribeWebPush(browsers.length, app.vapidPublicKey);
  const byUser = new Map(
    browsers.map((member, index) => [member.userId, subscriptions[index] as WebPushSubscription]),
  );
  return members.map((member) => {
    const subscription = byUser.get(member.userId);
    return subscription
      ? { ...member, provider: "webpush", token: subscription.endpoint, subscription }
      : member;
  });
}

/**
 * Signs each member in and registers its device through the client API, as the phones
 * would, `concurrency` members at a time. Returns the registrations per second.
 */
export async function registerMembers(
  client: GatewayClient,
  app: BenchApp,
  members: Member[],
  concurrency: number,
): Promise<number> {
  const result = await runClosedLoop({
    total: members.length,
    concurrency,
    timeoutMs: 300_000,
    task: async (index) => {
      const member = members[index] as Member;
      const session = await client.expect(201, "POST", "/v1/sessions", {
        headers: { "x-api-key": app.apiKey },
        body: { user_id: member.userId },
      });
      await client.expect(204, "POST", "/v1/users/@me/devices", {
        token: (session.body as { session_token: string }).session_token,
        body: {
          provider: member.provider,
          ...(member.subscription ? { subscription: member.subscription } : { token: member.token }),
          device_id: `device-${member.userId}`,
          locale: member.locale,
        },
      });
    },
  });
  if (result.failed > 0)
    throw new Error(`registering devices: ${result.failed} failed (${result.firstError})`);
  return (members.length / result.elapsedMs) * 1000;
}

export async function setChannelMembers(
  client: GatewayClient,
  app: BenchApp,
  channelId: string,
  userIds: string[],
): Promise<void> {
  await client.expect(200, "PUT", `/v1/apps/${app.id}/channels/${channelId}/members`, {
    token: app.serverKey,
    body: { member_ids: userIds },
  });
}

/** Stores the app's wording of `message.created` in the given locales (the same text in each). */
export async function setMessageTemplate(
  client: GatewayClient,
  app: BenchApp,
  locales: readonly string[],
): Promise<void> {
  const wording = { title: "{{actor.name}} · {{channel.name}}", body: "{{message.text}}" };
  await client.expect(200, "PUT", `/v1/apps/${app.id}/templates/message.created`, {
    token: app.serverKey,
    body: { locales: Object.fromEntries(locales.map((locale) => [locale, wording])) },
  });
}

/** Changes some of the app's settings, as its server would. */
export async function patchApp(
  client: GatewayClient,
  app: BenchApp,
  fields: Record<string, unknown>,
): Promise<void> {
  await client.expect(200, "PATCH", `/v1/apps/${app.id}`, { token: app.serverKey, body: fields });
}
