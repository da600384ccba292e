import { Agent } from "node:https";
import type { LookupFunction } from "node:net";
import type { SecureContext } from "node:tls";
import webPush from "web-push";
import { Limiter } from "../limiter.js";
import { pooledConnections } from "../pooled-connections.js";
import type { PushMessage, PushOutcome } from "../push-provider.js";
import { VapidTokens } from "./vapid-tokens.js";
import { webPushFailureOutcome } from "./webpush-outcome.js";
import { webPushHeaders, webPushPayload } from "./webpush-request.js";

/** An app's VAPID identity (RFC 8292): a contact URL and its key pair, base64url. */
export interface VapidCredentials {
  subject: string;
  publicKey: string;
  privateKey: string;
}

/** A browser's `PushSubscription.toJSON()`. */
export interface WebPushSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface WebPushSenderOptions {
  /** The TLS context for push services (`trustedContext()`); Node's default when absent. */
  secureContext?: SecureContext;
  /** Push requests in flight at once, over all apps. */
  concurrency: number;
  /**
   * Resolves push services' hosts for the connections; the SSRF guard plugs in here, so that an
   * endpoint whose host resolves to a private address is refused at every connect.
   */
  lookup?: LookupFunction;
}

/** Sends through the `web-push` library: VAPID, `aes128gcm` encryption, one request per subscription. */
export class WebPushSender {
  private readonly agent: Agent;
  private readonly limiter: Limiter;
  private readonly tokens = new VapidTokens();

  constructor(options: WebPushSenderOptions) {
    this.agent = new Agent({
      ...pooledConnections,
      // A context, not `ca`: the CAs (all of Node's public roots) would go into the pool key the
      // agent builds for each request, and into a context per socket.
      ...(options.secureContext && { secureContext: options.secureContext }),
      ...(options.lookup ? { lookup: options.lookup } : {}),
    });
    this.limiter = new Limiter(options.concurrency);
  }

  /** One outcome per subscription, in their order, each settling as soon as it is known. */
  send(
    credentials: VapidCredentials,
    message: PushMessage,
    subscriptions: WebPushSubscription[],
  ): Promise<PushOutcome>[] {
    const payload = webPushPayload(message);
    const options: webPush.RequestOptions = {
      ...webPushHeaders(message, new Date()),
      contentEncoding: "aes128gcm",
      agent: this.agent,
    };
    return subscriptions.map((subscription) =>
      this.limiter.run(() => {
        const authorization = this.authorization(credentials, subscription.endpoint);
        if (typeof authorization !== "string") return Promise.resolve(authorization);
        return sendOne(subscription, payload, { ...options, headers: { Authorization: authorization } });
      }),
    );
  }

  /** The app's signed VAPID header for the subscription's push service, or why it cannot be made. */
  private authorization(credentials: VapidCredentials, endpoint: string): string | PushOutcome {
    try {
      return this.tokens.authorization(credentials, endpoint);
    } catch (error) {
      return { status: "failed", reason: `VAPID: ${(error as Error).message}` };
    }
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }
}

async function sendOne(
  subscription: WebPushSubscription,
  payload: string,
  options: webPush.RequestOptions,
): Promise<PushOutcome> {
  try {
    const { statusCode, headers } = await webPush.sendNotification(subscription, payload, options);
    const providerStatus = String(statusCode);
    return headers.location === undefined
      ? { status: "sent", providerStatus }
      : { status: "sent", id: headers.location, providerStatus };
  } catch (error) {
    return webPushFailureOutcome(error);
  }
}
