import type { SecureContext } from "node:tls";
import type { App } from "../../domain/apps/app.js";
import type { Logger } from "../../observability/logger.js";
import { failAll } from "../fail-all.js";
import type { PushMessage, PushOutcome, TokenProvider } from "../push-provider.js";
import { toApnsNotification } from "./apns-notification.js";
import { apnsOutcome } from "./apns-outcome.js";
import { type ApnsConnection, type ApnsEnvironment, ApnsProviders } from "./apns-providers.js";

export type ApnsTokenProvider = Extract<TokenProvider, `apns${string}`>;

/** Where each APNs token kind goes (docs/api.md §5). */
const routes: Record<ApnsTokenProvider, { environment: ApnsEnvironment; voip: boolean }> = {
  apns: { environment: "production", voip: false },
  apns_voip: { environment: "production", voip: true },
  apns_internal: { environment: "sandbox", voip: false },
  apns_internal_voip: { environment: "sandbox", voip: true },
};

export interface ApnsSenderOptions {
  productionEndpoint?: string;
  sandboxEndpoint?: string;
  /** The TLS context of `trustedContext()`; Node's default when absent. */
  secureContext?: SecureContext;
  maxStreamsInFlight: number;
  logger: Logger;
}

export class ApnsSender {
  private readonly providers: ApnsProviders;
  private readonly logger: Logger;

  constructor(options: ApnsSenderOptions) {
    this.providers = new ApnsProviders({
      endpoints: { production: options.productionEndpoint, sandbox: options.sandboxEndpoint },
      secureContext: options.secureContext,
      maxStreamsInFlight: options.maxStreamsInFlight,
    });
    this.logger = options.logger;
  }

  /** One outcome per token of one kind, in the order of `tokens`, each settling as soon as it is known. */
  send(app: App, message: PushMessage, kind: ApnsTokenProvider, tokens: string[]): Promise<PushOutcome>[] {
    if (!app.apns) return failAll(tokens, "the app has no APNs credentials");
    const { environment, voip } = routes[kind];
    let connection: ApnsConnection;
    try {
      connection = this.providers.connection(app, app.apns, environment);
    } catch (error) {
      this.logger.warn({ err: error, appId: app.id }, "the app's APNs key is unusable");
      return failAll(tokens, `unusable APNs key: ${error instanceof Error ? error.message : String(error)}`);
    }
    const notification = toApnsNotification(message, app.apns.bundleId, voip);
    // One token per node-apn send: given thousands at once, it opens them all as streams together.
    return tokens.map((token) =>
      connection.streams.run(async () => apnsOutcome(await connection.provider.send(notification, token))),
    );
  }

  close(): Promise<void> {
    return this.providers.close();
  }
}
