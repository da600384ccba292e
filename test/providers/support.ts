import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { connect } from "node:http2";
import { pino } from "pino";
import type { ApnsCredentials, App, FcmServiceAccount } from "../../src/domain/apps/app.js";
import { PushDispatcher, type PushDispatcherOptions } from "../../src/providers/push-dispatcher.js";
import type { PushMessage } from "../../src/providers/push-provider.js";
import {
  type ReceivedNotification,
  type SimulatedAppCredentials,
  type Simulators,
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
    apiKey: `pk_${randomBytes(8).toString("hex")}`,
    webhook: null,
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
export function useSimulators(take: (world: SimulatedWorld) => void): void {
  let simulators: Simulators;
  before(async () => {
    simulators = await startSimulators();
    take({ simulators, credentials: simulators.registerApp() });
  });
  after(() => simulators.close());
}

/** As `useSimulators`, with a dispatcher sending to the simulators (closed before them). */
export function useDispatcher(take: (world: DispatcherWorld) => void): void {
  let world: DispatcherWorld;
  before(async () => {
    const simulators = await startSimulators();
    world = { simulators, credentials: simulators.registerApp(), dispatcher: dispatcherFor(simulators) };
    take(world);
  });
  after(async () => {
    await world.dispatcher.close();
    await world.simulators.close();
  });
}

/** A well-formed APNs device token: 32 bytes in hex. */
export const apnsToken = (): string => randomBytes(32).toString("hex");

export const fcmToken = (): string => `fcm:${randomBytes(24).toString("base64url")}`;

export interface RawResponse {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

/** One HTTP/2 POST to a simulator, bypassing every client library. */
export function rawPost(
  origin: string,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<RawResponse> {
  const session = connect(origin, { ca: readFileSync(simulatorTls.caFile) });
  return new Promise<RawResponse>((resolve, reject) => {
    session.on("error", reject);
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
    request.on("end", () =>
      resolve({ status: Number(responseHeaders[":status"]), headers: responseHeaders, body: text }),
    );
    request.on("error", reject);
    request.end(body);
  }).finally(() => session.close());
}

/** The one notification the simulators accepted for `token`; throws unless there is exactly one. */
export function receivedOnce(simulators: Simulators, token: string): ReceivedNotification {
  const entries = simulators.received.forToken(token);
  if (entries.length !== 1) throw new Error(`expected one notification for ${token}, got ${entries.length}`);
  return entries[0] as ReceivedNotification;
}
