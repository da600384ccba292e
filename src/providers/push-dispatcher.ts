import type { App } from "../domain/apps/app.js";
import type { Logger } from "../observability/logger.js";
import { ApnsSender } from "./apns/apns-sender.js";
import { FcmSender } from "./fcm/fcm-sender.js";
import type {
  OutcomeListener,
  PushMessage,
  PushOutcome,
  PushSender,
  PushTarget,
  TokenProvider,
} from "./push-provider.js";
import { trustedCas } from "./trusted-cas.js";

export interface PushDispatcherOptions {
  /** `FCM_ENDPOINT`: replaces Google's FCM and OAuth2 hosts. */
  fcmEndpoint?: string;
  apnsProductionEndpoint?: string;
  apnsSandboxEndpoint?: string;
  /** `PROVIDER_CA_FILE`: CAs trusted for the endpoints above, besides the public ones. */
  caFile?: string;
  /** Requests in flight at once on one APNs connection (one per app and environment). */
  apnsMaxStreamsInFlight: number;
  /** FCM requests in flight at once. */
  concurrency: number;
  logger: Logger;
}

/** Sends each target through FCM or APNs according to its provider. */
export class PushDispatcher implements PushSender {
  private readonly fcm: FcmSender;
  private readonly apns: ApnsSender;
  private readonly logger: Logger;

  constructor(options: PushDispatcherOptions) {
    const ca = trustedCas(options.caFile);
    this.fcm = new FcmSender({
      endpoint: options.fcmEndpoint,
      ca,
      concurrency: options.concurrency,
      logger: options.logger,
    });
    this.apns = new ApnsSender({
      productionEndpoint: options.apnsProductionEndpoint,
      sandboxEndpoint: options.apnsSandboxEndpoint,
      ca,
      maxStreamsInFlight: options.apnsMaxStreamsInFlight,
      logger: options.logger,
    });
    this.logger = options.logger;
  }

  async send(
    app: App,
    message: PushMessage,
    targets: PushTarget[],
    onOutcome?: OutcomeListener,
  ): Promise<PushOutcome[]> {
    const pending: Promise<PushOutcome>[] = new Array(targets.length);
    for (const [provider, indexes] of indexesByProvider(targets)) {
      const tokens = indexes.map((index) => (targets[index] as PushTarget).token);
      const outcomes =
        provider === "gcm"
          ? this.fcm.send(app, message, tokens)
          : this.apns.send(app, message, provider, tokens);
      indexes.forEach((index, position) => {
        pending[index] = (outcomes[position] as Promise<PushOutcome>).then((outcome) => {
          onOutcome?.(index, outcome);
          return outcome;
        });
      });
    }
    const outcomes = await Promise.all(pending);
    this.logger.debug({ appId: app.id, ...countByStatus(outcomes) }, "push sent");
    return outcomes;
  }

  async close(): Promise<void> {
    await Promise.all([this.fcm.close(), this.apns.close()]);
  }
}

function indexesByProvider(targets: PushTarget[]): Map<TokenProvider, number[]> {
  const groups = new Map<TokenProvider, number[]>();
  targets.forEach((target, index) => {
    const group = groups.get(target.provider);
    if (group) group.push(index);
    else groups.set(target.provider, [index]);
  });
  return groups;
}

function countByStatus(outcomes: PushOutcome[]): Record<PushOutcome["status"], number> {
  const counts = { sent: 0, invalid_token: 0, retry: 0, failed: 0 };
  for (const outcome of outcomes) counts[outcome.status] += 1;
  return counts;
}
