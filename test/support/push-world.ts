import type { Logger } from "../../src/observability/logger.js";
import {
  type ApnsEnvironment,
  apnsDeviceToken,
  fcmRegistrationToken,
} from "../../src/simulators/device-tokens.js";
import { appProviderSettings } from "../../src/simulators/simulated-credentials.js";
import {
  type ReceivedNotification,
  type SimulatedAppCredentials,
  type Simulators,
  startSimulators,
} from "../../src/simulators/simulators.js";
import { registered, type SignedIn, signIn } from "../devices/client.js";
import { createApp, startTestGateway, type TestGateway } from "./test-gateway.js";

export type TestApp = Awaited<ReturnType<typeof createApp>>;

/** A gateway wired to FCM and APNs simulators, with an app whose credentials they accept. */
export interface PushWorld {
  gw: TestGateway;
  sims: Simulators;
  app: TestApp;
  credentials: SimulatedAppCredentials;
  close(): Promise<void>;
}

/** `logger`: the gateway's, instead of the test gateway's own. */
export async function startPushWorld(
  settings: Record<string, unknown> = {},
  appBody: Record<string, unknown> = {},
  logger?: Logger,
): Promise<PushWorld> {
  const sims = await startSimulators();
  try {
    const gw = await startTestGateway(
      { ...sims.env, DELIVERY_RETRY_BASE_MS: 50, DELIVERY_RETRY_MAX_MS: 200, ...settings },
      logger,
    );
    const { app, credentials } = await createPushApp(gw, sims, appBody);
    return {
      gw,
      sims,
      app,
      credentials,
      async close() {
        await gw.close();
        await sims.close();
      },
    };
  } catch (error) {
    await sims.close();
    throw error;
  }
}

export async function createPushApp(gw: TestGateway, sims: Simulators, body: Record<string, unknown> = {}) {
  const credentials = sims.registerApp();
  const app = await createApp(gw, {
    ...appProviderSettings(credentials),
    ...body,
  });
  return { app, credentials };
}

/** An APNs device token of `environment`: production for the `apns` providers, sandbox for `apns_internal`. */
export function apnsToken(environment: ApnsEnvironment = "production"): string {
  return apnsDeviceToken(environment);
}

/** A token in the shape FCM issues them (the FCM simulator refuses any other). */
export function fcmToken(): string {
  return fcmRegistrationToken();
}

export interface UserDevices {
  session: SignedIn;
  android?: string;
  ios?: string;
  voip?: string;
}

/** Signs a user in and registers an Android token, an iOS token (with a VoIP token), or both devices. */
export async function userWithDevices(
  gw: TestGateway,
  app: TestApp,
  userId: string,
  devices: { android?: boolean; ios?: boolean; voip?: boolean; sandbox?: boolean } = { android: true },
): Promise<UserDevices> {
  const session = await signIn(gw, app, userId);
  const result: UserDevices = { session };
  if (devices.android) {
    result.android = fcmToken();
    await registered(gw, session, { provider: "gcm", token: result.android, device_id: `android-${userId}` });
  }
  if (devices.ios) {
    const environment = devices.sandbox ? "sandbox" : "production";
    result.ios = apnsToken(environment);
    const prefix = devices.sandbox ? "apns_internal" : "apns";
    if (devices.voip) result.voip = apnsToken(environment);
    const voip = result.voip ? { voip_provider: `${prefix}_voip`, voip_token: result.voip } : {};
    await registered(gw, session, {
      provider: prefix,
      token: result.ios,
      device_id: `ios-${userId}`,
      ...voip,
    });
  }
  return result;
}

/** The parts of an FCM HTTP v1 message the tests look at. */
export interface FcmPayload {
  notification?: { title: string; body: string };
  data?: Record<string, string>;
  android?: { priority?: string; notification?: { tag?: string } };
}

/** The parts of an APNs payload the tests look at. */
export interface ApnsPayload {
  aps: { alert?: { title: string; body: string }; sound?: string; "thread-id"?: string };
  [key: string]: unknown;
}

export function fcmPayload(entry: ReceivedNotification | undefined): FcmPayload {
  if (entry?.simulator !== "fcm") throw new Error(`not an FCM notification: ${JSON.stringify(entry)}`);
  return entry.payload as FcmPayload;
}

export function apnsPayload(entry: ReceivedNotification | undefined): ApnsPayload {
  if (!entry?.simulator.startsWith("apns"))
    throw new Error(`not an APNs notification: ${JSON.stringify(entry)}`);
  return entry.payload as unknown as ApnsPayload;
}
