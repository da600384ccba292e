import type { LookupFunction } from "node:net";
import { type App, appForVariant } from "../domain/apps/app.js";
import type { Logger } from "../observability/logger.js";
import type { ApnsSender } from "./apns/apns-sender.js";
import type { ExpoReceipts } from "./expo/expo-receipts.js";
import type { ExpoSender } from "./expo/expo-sender.js";
import { failAll } from "./fail-all.js";
import type { FcmSender } from "./fcm/fcm-sender.js";
import type {
  OutcomeListener,
  PushMessage,
  PushOutcome,
  PushSender,
  PushTarget,
  TokenProvider,
} from "./push-provider.js";
import { trustedContext } from "./trusted-context.js";
import type { WebPushSender } from "./webpush/webpush-sender.js";

export interface PushDispatcherOptions {
  /** `FCM_ENDPOINT`: replaces Google's FCM and OAuth2 hosts. */
  fcmEndpoint?: string;
  apnsProductionEndpoint?: string;
  apnsSandboxEndpoint?: string;
  /** `PROVIDER_CA_FILE`: CAs trusted for the endpoints above, besides the public ones. */
  caFile?: string;
  /** Requests in flight at once on one APNs connection (one per app and environment). */
  apnsMaxStreamsInFlight: number;
  /** `EXPO_ENDPOINT`: replaces `https://exp.host`. */
  expoEndpoint?: string;
  /** FCM, Expo and Web Push requests in flight at once, each. */
  concurrency: number;
  /** Resolves Web Push services' hosts; the SSRF guard plugs in here. */
  webPushLookup?: LookupFunction;
  logger: Logger;
}

/**
 * A provider's client, loaded and made at its first use: the library of a provider the
 * deployment never sends through (firebase-admin, node-apn, web-push, Expo's) stays out of the
 * process's memory.
 */
class OnFirstUse<Client extends { close(): Promise<void> }> {
  private client: Promise<Client> | undefined;

  constructor(private readonly make: () => Promise<Client>) {}

  get(): Promise<Client> {
    this.client ??= this.make();
    return this.client;
  }

  async close(): Promise<void> {
    const client = await this.client?.catch(() => undefined);
    await client?.close();
  }
}

/** Sends each target through FCM, APNs, Web Push or Expo according to its provider. */
export class PushDispatcher implements PushSender {
  private readonly fcm: OnFirstUse<FcmSender>;
  private readonly apns: OnFirstUse<ApnsSender>;
  private readonly webPush: OnFirstUse<WebPushSender>;
  private readonly expo: OnFirstUse<ExpoSender>;
  private readonly expoReceipts: OnFirstUse<ExpoReceipts>;
  private readonly logger: Logger;

  constructor(options: PushDispatcherOptions) {
    const secureContext = trustedContext(options.caFile);
    this.fcm = new OnFirstUse(async () => {
      const { FcmSender } = await import("./fcm/fcm-sender.js");
      return new FcmSender({
        endpoint: options.fcmEndpoint,
        secureContext,
        concurrency: options.concurrency,
        logger: options.logger,
      });
    });
    this.apns = new OnFirstUse(async () => {
      const { ApnsSender } = await import("./apns/apns-sender.js");
      return new ApnsSender({
        productionEndpoint: options.apnsProductionEndpoint,
        sandboxEndpoint: options.apnsSandboxEndpoint,
        secureContext,
        maxStreamsInFlight: options.apnsMaxStreamsInFlight,
        logger: options.logger,
      });
    });
    this.webPush = new OnFirstUse(async () => {
      const { WebPushSender } = await import("./webpush/webpush-sender.js");
      return new WebPushSender({
        secureContext,
        concurrency: options.concurrency,
        lookup: options.webPushLookup,
      });
    });
    this.expo = new OnFirstUse(async () => {
      const { ExpoSender } = await import("./expo/expo-sender.js");
      return new ExpoSender({
        endpoint: options.expoEndpoint,
        secureContext,
        concurrency: options.concurrency,
      });
    });
    this.expoReceipts = new OnFirstUse(async () => {
      const { ExpoReceipts } = await import("./expo/expo-receipts.js");
      return new ExpoReceipts({ endpoint: options.expoEndpoint, secureContext });
    });
    this.logger = options.logger;
  }

  async send(
    app: App,
    message: PushMessage,
    targets: PushTarget[],
    onOutcome?: OutcomeListener,
  ): Promise<PushOutcome[]> {
    const outcomes: PushOutcome[] = new Array(targets.length);
    await Promise.all(
      groupsOf(targets).map(async ({ provider, variant, indexes }) => {
        const group = indexes.map((index) => targets[index] as PushTarget);
        const sent = await this.sendThrough(provider, appForVariant(app, variant), message, group);
        await Promise.all(
          sent.map(async (pending, position) => {
            const index = indexes[position] as number;
            const outcome = await pending;
            outcomes[index] = outcome;
            onOutcome?.(index, outcome);
          }),
        );
      }),
    );
    this.logger.debug({ appId: app.id, ...countByStatus(outcomes) }, "push sent");
    return outcomes;
  }

  async checkReceipts(
    _app: App,
    provider: TokenProvider,
    receipts: string[],
  ): Promise<Map<string, PushOutcome>> {
    return provider === "expo" ? (await this.expoReceipts.get()).check(receipts) : new Map();
  }

  async close(): Promise<void> {
    await Promise.all([
      this.fcm.close(),
      this.apns.close(),
      this.webPush.close(),
      this.expo.close(),
      this.expoReceipts.close(),
    ]);
  }

  private async sendWebPush(
    app: App,
    message: PushMessage,
    targets: PushTarget[],
  ): Promise<Promise<PushOutcome>[]> {
    const { webpush } = app;
    if (!webpush)
      return failAll(
        targets.map((target) => target.token),
        "the app has no Web Push credentials",
      );
    const credentials = {
      subject: webpush.subject,
      publicKey: webpush.vapidPublicKey,
      privateKey: webpush.vapidPrivateKey,
    };
    const subscriptions = targets.flatMap((target) =>
      target.keys ? [{ endpoint: target.token, keys: target.keys }] : [],
    );
    const outcomes = (await this.webPush.get()).send(credentials, message, subscriptions);
    let next = 0;
    // Every subscription is stored with its keys; one without them could not be encrypted to.
    return targets.map((target) =>
      target.keys
        ? (outcomes[next++] as Promise<PushOutcome>)
        : Promise.resolve<PushOutcome>({ status: "failed", reason: "the subscription has no keys" }),
    );
  }

  /** One outcome per target, each settling as soon as it is known, once the provider's client is there. */
  private async sendThrough(
    provider: TokenProvider,
    app: App,
    message: PushMessage,
    targets: PushTarget[],
  ): Promise<Promise<PushOutcome>[]> {
    const tokens = targets.map((target) => target.token);
    switch (provider) {
      case "gcm":
        return (await this.fcm.get()).send(app, message, tokens);
      case "expo":
        return (await this.expo.get()).send(message, tokens);
      case "webpush":
        return this.sendWebPush(app, message, targets);
      default:
        return (await this.apns.get()).send(app, message, provider, tokens);
    }
  }
}

/** The targets' indexes by provider and app variant: each group goes through one client. */
function groupsOf(targets: PushTarget[]): { provider: TokenProvider; variant?: string; indexes: number[] }[] {
  const groups = new Map<string, { provider: TokenProvider; variant?: string; indexes: number[] }>();
  targets.forEach((target, index) => {
    const key = `${target.provider}/${target.variant ?? ""}`;
    const group = groups.get(key);
    if (group) group.indexes.push(index);
    else groups.set(key, { provider: target.provider, variant: target.variant, indexes: [index] });
  });
  return [...groups.values()];
}

function countByStatus(outcomes: PushOutcome[]): Record<PushOutcome["status"], number> {
  const counts = { sent: 0, invalid_token: 0, retry: 0, failed: 0 };
  for (const outcome of outcomes) counts[outcome.status] += 1;
  return counts;
}
