import type { App } from "../../src/domain/apps/app.js";
import { createLogger } from "../../src/observability/logger.js";
import { PushDispatcher } from "../../src/providers/push-dispatcher.js";
import type { PushMessage, PushTarget } from "../../src/providers/push-provider.js";
import { generateVapidKeys } from "../../src/security/vapid-keys.js";
import type { WebPushSubscription } from "../../src/simulators/simulators.js";
import { now } from "../client/gateway-client.js";
import { apnsToken, fcmToken } from "../client/population.js";
import type { SimulatorLink } from "../harness/simulator-link.js";

export interface SendRate {
  sends: number;
  perSecond: number;
}

export interface ProviderCeiling {
  fcm: SendRate;
  apns: SendRate;
  webpush: SendRate;
  /** FCM and APNs by halves, one in ten Web Push, in one `send()`: the mix of the fan-out, so its reference. */
  mixed: SendRate;
}

export interface ProviderCeilingOptions {
  sends: number;
  /** The worker's `DELIVERY_CONCURRENCY` and `APNS_MAX_STREAMS_IN_FLIGHT`, so the libraries run as there. */
  fcmConcurrency: number;
  apnsStreams: number;
}

function message(label: string): PushMessage {
  return {
    title: "Ceiling",
    body: "raw send",
    data: { event_id: `ceiling-${label}` },
    collapseId: `ceiling-${label}`,
    expiresAt: new Date(Date.now() + 3_600_000),
    call: false,
  };
}

export type SendMix = "fcm" | "apns" | "webpush" | "mixed";

/** Which provider the `index`-th target of a mix goes to; the mix's Web Push share is the fan-out's. */
function providerOf(kind: SendMix, index: number): "fcm" | "apns" | "webpush" {
  if (kind !== "mixed") return kind;
  if (index % 10 === 9) return "webpush";
  return index % 2 === 0 ? "fcm" : "apns";
}

/**
 * firebase-admin and @parse/node-apn alone, through the gateway's `PushDispatcher` in this
 * process, against the same simulators: the fastest the worker could possibly send.
 */
export class RawSender {
  private constructor(
    private readonly sims: SimulatorLink,
    private readonly app: App,
    private readonly dispatcher: PushDispatcher,
  ) {}

  /** Connections, OAuth token and provider token are made at once, as in a worker that has been running. */
  static async start(
    sims: SimulatorLink,
    options: Omit<ProviderCeilingOptions, "sends">,
  ): Promise<RawSender> {
    const credentials = await sims.registerApp();
    const vapid = generateVapidKeys();
    const at = new Date();
    const app: App = {
      id: "app_ceiling",
      name: "Ceiling",
      mode: "direct",
      pushEnabled: true,
      requireAuthToken: false,
      notificationTtlSeconds: 3600,
      quietDelivery: "drop",
      badge: "count",
      burstWindowSeconds: 0,
      webpush: {
        subject: "mailto:bench@pushgate.invalid",
        vapidPublicKey: vapid.publicKey,
        vapidPrivateKey: vapid.privateKey,
      },
      variants: {},
      defaultLocale: "en",
      apiKey: "",
      webhook: null,
      statusCallback: null,
      fcm: credentials.fcm,
      apns: credentials.apns,
      createdAt: at,
      updatedAt: at,
    };
    const dispatcher = new PushDispatcher({
      fcmEndpoint: sims.env.FCM_ENDPOINT,
      apnsProductionEndpoint: sims.env.APNS_PRODUCTION_ENDPOINT,
      apnsSandboxEndpoint: sims.env.APNS_SANDBOX_ENDPOINT,
      caFile: sims.env.PROVIDER_CA_FILE,
      expoEndpoint: sims.env.EXPO_ENDPOINT,
      apnsMaxStreamsInFlight: options.apnsStreams,
      concurrency: options.fcmConcurrency,
      logger: createLogger("warn"),
    });
    const sender = new RawSender(sims, app, dispatcher);
    await sender.rate("mixed", 64);
    return sender;
  }

  /** Sends `count` fresh tokens of the mix in one `send()`; every one must be accepted. */
  async rate(kind: SendMix, count: number): Promise<SendRate> {
    const batch = await this.targets(kind, count);
    const started = now();
    const outcomes = await this.dispatcher.send(this.app, message(kind), batch);
    const elapsed = now() - started;
    const failed = outcomes.filter((outcome) => outcome.status !== "sent");
    if (failed.length > 0) {
      throw new Error(`${kind} ceiling: ${failed.length} not sent: ${JSON.stringify(failed[0])}`);
    }
    return { sends: batch.length, perSecond: (batch.length / elapsed) * 1000 };
  }

  /** `count` fresh targets of the mix; browsers subscribe on the simulator beforehand, as they would. */
  private async targets(kind: SendMix, count: number): Promise<PushTarget[]> {
    const providers = Array.from({ length: count }, (_, index) => providerOf(kind, index));
    const subscriptions = await this.sims.subscribeWebPush(
      providers.filter((provider) => provider === "webpush").length,
      (this.app.webpush as { vapidPublicKey: string }).vapidPublicKey,
    );
    return providers.map((provider): PushTarget => {
      if (provider === "fcm") return { provider: "gcm", token: fcmToken() };
      if (provider === "apns") return { provider: "apns", token: apnsToken() };
      const { endpoint, keys } = subscriptions.pop() as WebPushSubscription;
      return { provider: "webpush", token: endpoint, keys };
    });
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
    await this.sims.resetArrivals();
  }
}

export async function measureProviderCeiling(
  sims: SimulatorLink,
  options: ProviderCeilingOptions,
): Promise<ProviderCeiling> {
  const sender = await RawSender.start(sims, options);
  try {
    const fcm = await sender.rate("fcm", options.sends);
    const apns = await sender.rate("apns", options.sends);
    const webpush = await sender.rate("webpush", options.sends);
    const mixed = await sender.rate("mixed", options.sends);
    return { fcm, apns, webpush, mixed };
  } finally {
    await sender.close();
  }
}
