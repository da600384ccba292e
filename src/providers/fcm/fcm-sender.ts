import type { SecureContext } from "node:tls";
import type { Message, Messaging } from "firebase-admin/messaging";
import type { App } from "../../domain/apps/app.js";
import type { Logger } from "../../observability/logger.js";
import { failAll } from "../fail-all.js";
import { Limiter } from "../limiter.js";
import type { PushMessage, PushOutcome } from "../push-provider.js";
import { FcmApps } from "./fcm-apps.js";
import { toFcmMessage } from "./fcm-message.js";
import { fcmFailureOutcome } from "./fcm-outcome.js";
import { type CapturedResponse, captureResponses } from "./response-capture.js";

export interface FcmSenderOptions {
  endpoint?: string;
  secureContext?: SecureContext;
  /** FCM requests in flight at once, over all apps. */
  concurrency: number;
  logger: Logger;
}

/**
 * Sends through firebase-admin's `send()`, one request per token: `sendEach()` opens its own
 * HTTP/2 session to Google's host, which no `httpAgent` (hence no `FCM_ENDPOINT`) reaches.
 */
export class FcmSender {
  private readonly apps: FcmApps;
  private readonly limiter: Limiter;
  private readonly logger: Logger;

  constructor(options: FcmSenderOptions) {
    this.apps = new FcmApps({
      endpoint: options.endpoint,
      secureContext: options.secureContext,
      logger: options.logger,
    });
    this.limiter = new Limiter(options.concurrency);
    this.logger = options.logger;
  }

  /** One outcome per token, in the order of `tokens`, each settling as soon as it is known. */
  send(app: App, message: PushMessage, tokens: string[]): Promise<PushOutcome>[] {
    if (!app.fcm) return failAll(tokens, "the app has no FCM credentials");
    let messaging: Messaging;
    try {
      messaging = this.apps.messaging(app, app.fcm);
    } catch (error) {
      this.logger.warn({ err: error, appId: app.id }, "the app's FCM service account is unusable");
      return failAll(
        tokens,
        `unusable FCM service account: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const now = new Date();
    return tokens.map((token) =>
      this.limiter.run(() => sendOne(messaging, toFcmMessage(message, token, now), message.dryRun ?? false)),
    );
  }

  close(): Promise<void> {
    return this.apps.close();
  }
}

async function sendOne(messaging: Messaging, message: Message, dryRun: boolean): Promise<PushOutcome> {
  const response: CapturedResponse = {};
  try {
    const id = await captureResponses(response, () => messaging.send(message, dryRun));
    return { status: "sent", id, providerStatus: "200" };
  } catch (error) {
    return fcmFailureOutcome(error, response);
  }
}
