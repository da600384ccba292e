import { ApnsSimulator } from "./apns/apns-simulator.js";
import { ExpoSimulator } from "./expo/expo-simulator.js";
import { FcmSimulator } from "./fcm/fcm-simulator.js";
import { ReceivedLog } from "./received-log.js";
import {
  generateAppCredentials,
  type SimulatedAppCredentials,
  type SimulatedAppOptions,
} from "./simulated-credentials.js";
import { simulatorTls } from "./tls-material.js";
import { type Outage, type TokenBehaviour, TokenScripts } from "./token-scripts.js";
import { WebPushSimulator, type WebPushSubscription } from "./webpush/webpush-simulator.js";

export type { ReceivedNotification } from "./received-log.js";
export type { SimulatedAppCredentials } from "./simulated-credentials.js";
export type { Outage, TokenBehaviour } from "./token-scripts.js";
export type { WebPushSubscription } from "./webpush/webpush-simulator.js";

export interface SimulatorsOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0 each: free ports. */
  ports?: { fcm?: number; apnsProduction?: number; apnsSandbox?: number; expo?: number; webPush?: number };
  /** Serve FCM over plain HTTP (an `http://` `FCM_ENDPOINT`). */
  fcmPlaintext?: boolean;
  /**
   * The simulators' time, in ms since the epoch (default `Date.now`): provider tokens, assertions
   * and access tokens age against it, so a test can move it on.
   */
  clock?: () => number;
}

/** Where a gateway must send to reach the simulators, under the push dispatcher's option names. */
export interface SimulatorEndpoints {
  fcmEndpoint: string;
  apnsProductionEndpoint: string;
  apnsSandboxEndpoint: string;
  expoEndpoint: string;
  /** The Web Push simulator's origin; its subscriptions' endpoints are under it. */
  webPushEndpoint: string;
  caFile: string;
}

/** An FCM simulator, two APNs simulators (production, sandbox), an Expo and a Web Push simulator sharing one log and one script. */
export interface Simulators {
  fcm: FcmSimulator;
  apnsProduction: ApnsSimulator;
  apnsSandbox: ApnsSimulator;
  expo: ExpoSimulator;
  webPush: WebPushSimulator;
  received: ReceivedLog;
  endpoints: SimulatorEndpoints;
  /** The same, under the settings' names (docs/configuration.md), e.g. for a gateway's environment. */
  env: {
    FCM_ENDPOINT: string;
    APNS_PRODUCTION_ENDPOINT: string;
    APNS_SANDBOX_ENDPOINT: string;
    EXPO_ENDPOINT: string;
    PROVIDER_CA_FILE: string;
    /** The push services' hosts the gateway may send Web Push to. */
    WEBPUSH_ALLOWED_HOSTS: string;
  };
  scriptToken(token: string, behaviour: TokenBehaviour): void;
  /** Every simulator answers every token `outage.status` until called again with `null`. */
  outage(outage: Outage | null): void;
  /** Generates an app's FCM and APNs credentials and makes every simulator accept them. */
  registerApp(options?: SimulatedAppOptions): SimulatedAppCredentials;
  /** A browser's push subscription on the Web Push simulator (see `WebPushSimulator.subscribe`). */
  subscribeWebPush(applicationServerKey?: string): WebPushSubscription;
  close(): Promise<void>;
}

export async function startSimulators(options: SimulatorsOptions = {}): Promise<Simulators> {
  const host = options.host ?? "127.0.0.1";
  const clock = options.clock ?? Date.now;
  const received = new ReceivedLog();
  const scripts = new TokenScripts();
  const [fcm, apnsProduction, apnsSandbox, expo, webPush] = await Promise.all([
    FcmSimulator.start({
      host,
      port: options.ports?.fcm ?? 0,
      plaintext: options.fcmPlaintext,
      received,
      scripts,
      clock,
    }),
    ApnsSimulator.start({
      environment: "production",
      host,
      port: options.ports?.apnsProduction ?? 0,
      received,
      scripts,
      clock,
    }),
    ApnsSimulator.start({
      environment: "sandbox",
      host,
      port: options.ports?.apnsSandbox ?? 0,
      received,
      scripts,
      clock,
    }),
    ExpoSimulator.start({ host, port: options.ports?.expo ?? 0, received, scripts }),
    WebPushSimulator.start({ host, port: options.ports?.webPush ?? 0, received, scripts, clock }),
  ]);
  const endpoints: SimulatorEndpoints = {
    fcmEndpoint: fcm.url,
    apnsProductionEndpoint: apnsProduction.url,
    apnsSandboxEndpoint: apnsSandbox.url,
    expoEndpoint: expo.url,
    webPushEndpoint: webPush.url,
    caFile: simulatorTls.caFile,
  };
  return {
    fcm,
    apnsProduction,
    apnsSandbox,
    expo,
    webPush,
    received,
    endpoints,
    env: {
      FCM_ENDPOINT: endpoints.fcmEndpoint,
      APNS_PRODUCTION_ENDPOINT: endpoints.apnsProductionEndpoint,
      APNS_SANDBOX_ENDPOINT: endpoints.apnsSandboxEndpoint,
      EXPO_ENDPOINT: endpoints.expoEndpoint,
      PROVIDER_CA_FILE: endpoints.caFile,
      WEBPUSH_ALLOWED_HOSTS: host,
    },
    scriptToken: (token, behaviour) => scripts.script(token, behaviour),
    outage: (outage) => scripts.setOutage(outage),
    registerApp: (appOptions) => {
      const credentials = generateAppCredentials(appOptions);
      fcm.registerServiceAccount(credentials.fcmRegistration);
      apnsProduction.registerKey(credentials.apnsRegistration);
      apnsSandbox.registerKey(credentials.apnsRegistration);
      return credentials;
    },
    subscribeWebPush: (applicationServerKey) => webPush.subscribe({ applicationServerKey }),
    close: async () => {
      await Promise.all([
        fcm.close(),
        apnsProduction.close(),
        apnsSandbox.close(),
        expo.close(),
        webPush.close(),
      ]);
    },
  };
}
