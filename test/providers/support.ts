import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { connect } from "node:http2";
import type { Messaging } from "firebase-admin/messaging";
import { pino } from "pino";
import type { ApnsCredentials, App, FcmServiceAccount } from "../../src/domain/apps/app.js";
import { FcmApps } from "../../src/providers/fcm/fcm-apps.js";
import { PushDispatcher, type PushDispatcherOptions } from "../../src/providers/push-dispatcher.js";
import type { PushMessage } from "../../src/providers/push-provider.js";
import { trustedContext } from "../../src/providers/trusted-context.js";
import {
  type ApnsEnvironment,
  apnsDeviceToken,
  fcmRegistrationToken,
} from "../../src/simulators/device-tokens.js";
import {
  type ReceivedNotification,
  type SimulatedAppCredentials,
  type Simulators,
  type SimulatorsOptions,
  startSimulators,
} from "../../src/simulators/simulators.js";
import { simulatorTls } from "../../src/simulators/tls-material.js";

export const silentLogger = pino({ level: "silent" });

/** A Pushgate app holding the given credentials. */
export function appWith(
  credentials: { fcm: FcmServiceAccount | null; apns: ApnsCredentials | null } | null,
  overrides: Partial<App> = {},
): App {
  const now = new Date();
  return {
    id: `app_${randomBytes(6).toString("hex")}`,
    name: "Test app",
    mode: "direct",
    pushEnabled: true,
    requireAuthToken: false,
    notificationTtlSeconds: 3600,
    quietDelivery: "drop",
    badge: "off",
    burstWindowSeconds: 0,
    webpush: null,
    variants: {},
    defaultLocale: "en",
    apiKey: `pk_${randomBytes(8).toString("hex")}`,
    webhook: null,
    statusCallback: null,
    fcm: credentials?.fcm ?? null,
    apns: credentials?.apns ?? null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

export function pushMessage(overrides: Partial<PushMessage> = {}): PushMessage {
  return {
    title: "Alice (Team)",
    body: "hello",
    data: { event_id: "evt_1", event_type: "message.created", channel_id: "c1" },
    collapseId: "evt_1",
    threadId: "c1",
    expiresAt: new Date(Date.now() + 3600_000),
    call: false,
    ...overrides,
  };
}

export function dispatcherFor(
  simulators: Simulators,
  overrides: Partial<PushDispatcherOptions> = {},
): PushDispatcher {
  return new PushDispatcher({
    ...simulators.endpoints,
    apnsMaxStreamsInFlight: 100,
    concurrency: 32,
    logger: silentLogger,
    ...overrides,
  });
}

/** A clock for the simulators that a test moves on, ahead of this process's own. */
export class ManualClock {
  private offsetMs = 0;

  readonly now = (): number => Date.now() + this.offsetMs;

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/**
 * Runs `action` while this process's clock (`Date.now`) reads `offsetMs` from now — until the
 * promise it returns settles, if it returns one. node-apn makes and ages its provider tokens with
 * `Date.now()`; a dispatcher's send makes its APNs connection only once node-apn is loaded, after
 * the send's synchronous part. The simulators' `ManualClock` moves with it.
 */
export function atClientTime<T>(offsetMs: number, action: () => T): T {
  const realNow = Date.now;
  Date.now = () => realNow() + offsetMs;
  let result: T;
  try {
    result = action();
  } catch (error) {
    Date.now = realNow;
    throw error;
  }
  if (!(result instanceof Promise)) {
    Date.now = realNow;
    return result;
  }
  return result.finally(() => {
    Date.now = realNow;
  }) as T;
}

/** firebase-admin apps, as Pushgate builds them, sending to the FCM simulator. */
export function simulatedFcm(simulators: Simulators): {
  messaging(credentials: Pick<SimulatedAppCredentials, "fcm">): Messaging;
  close(): Promise<void>;
} {
  const apps = new FcmApps({
    endpoint: simulators.endpoints.fcmEndpoint,
    secureContext: trustedContext(simulators.endpoints.caFile),
    logger: silentLogger,
  });
  return {
    messaging: (credentials) =>
      apps.messaging(appWith({ fcm: credentials.fcm, apns: null }), credentials.fcm),
    close: () => apps.close(),
  };
}

/** The simulators a suite runs against, and an app registered with them. */
export interface SimulatedWorld {
  simulators: Simulators;
  credentials: SimulatedAppCredentials;
}

export interface DispatcherWorld extends SimulatedWorld {
  dispatcher: PushDispatcher;
}

/**
 * Starts the simulators and registers an app before the suite's tests, hands them to
 * `take` (to set the suite's variables), and closes the simulators after.
 */
export function useSimulators(take: (world: SimulatedWorld) => void, options: SimulatorsOptions = {}): void {
  let simulators: Simulators;
  before(async () => {
    simulators = await startSimulators(options);
    take({ simulators, credentials: simulators.registerApp() });
  });
  after(() => simulators.close());
}

/** As `useSimulators`, with a dispatcher sending to the simulators (closed before them). */
export function useDispatcher(take: (world: DispatcherWorld) => void, options: SimulatorsOptions = {}): void {
  let world: DispatcherWorld;
  before(async () => {
    const simulators = await startSimulators(options);
    world = { simulators, credentials: simulators.registerApp(), dispatcher: dispatcherFor(simulators) };
    take(world);
  });
  after(async () => {
    await world.dispatcher.close();
    await world.simulators.close();
  });
}

/** An APNs device token of `environment`, which the other environment refuses. */
export const apnsToken = (environment: ApnsEnvironment = "production"): string =>
  apnsDeviceToken(environment);

/** A well-formed device token that neither environment issued: both refuse it. */
export const strangeApnsToken = (): string => randomBytes(32).toString("hex");

export const fcmToken = fcmRegistrationToken;

export interface RawResponse {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

/** One HTTP/2 connection to a simulator, bypassing every client library. */
export interface RawSession {
  post(path: string, headers: Record<string, string>, body: string): Promise<RawResponse>;
  close(): void;
}

export function rawSession(origin: string): RawSession {
  const session = connect(origin, { ca: readFileSync(simulatorTls.caFile) });
  return {
    post: (path, headers, body) =>
      new Promise<RawResponse>((resolve, reject) => {
        session.once("error", reject);
        const request = session.request({ ":method": "POST", ":path": path, ...headers });
        let text = "";
        let responseHeaders: Record<string, unknown> = {};
        request.setEncoding("utf8");
        request.on("response", (received) => {
          responseHeaders = received;
        });
        request.on("data", (chunk: string) => {
          text += chunk;
        });
        request.on("end", () => {
          session.off("error", reject);
          resolve({ status: Number(responseHeaders[":status"]), headers: responseHeaders, body: text });
        });
        request.on("error", reject);
        request.end(body);
      }),
    close: () => session.close(),
  };
}

/** One HTTP/2 POST to a simulator on a connection of its own. */
export async function rawPost(
  origin: string,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<RawResponse> {
  const session = rawSession(origin);
  try {
    return await session.post(path, headers, body);
  } finally {
    session.close();
  }
}

/** The one notification the simulators accepted for `token`; throws unless there is exactly one. */
export function receivedOnce(simulators: Simulators, token: string): ReceivedNotification {
  const entries = simulators.received.forToken(token);
  if (entries.length !== 1) throw new Error(`expected one notification for ${token}, got ${entries.length}`);
  return entries[0] as ReceivedNotification;
}
