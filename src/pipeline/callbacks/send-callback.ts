import type { AppRepository } from "../../domain/apps/app-repository.js";
import type { Clock } from "../../domain/clock.js";
import type { WebhookClient } from "../../webhooks/webhook-client.js";
import type { CallbackJob } from "./status-callbacks.js";

export interface CallbackSenderParts {
  apps: Pick<AppRepository, "findById" | "activeSecrets">;
  client: Pick<WebhookClient, "call">;
  clock: Clock;
  timeoutMs: number;
}

/**
 * Makes one status callback, signed like a webhook delivery, to the URL the app has now. Any
 * 2xx takes it; anything else throws, and the queue tries again later.
 */
export class CallbackSender {
  constructor(private readonly parts: CallbackSenderParts) {}

  async process(job: CallbackJob): Promise<void> {
    const { apps, client, clock, timeoutMs } = this.parts;
    const app = await apps.findById(job.appId);
    // Deleted, or no callback URL any more: there is no one to tell.
    if (!app?.statusCallback) return;
    const secrets = await apps.activeSecrets(app.id, "webhook_secret", clock.now());
    const attempt = await client.call({
      url: app.statusCallback.url,
      id: job.id,
      body: job.body,
      secrets: secrets.map((secret) => secret.value),
      timeoutMs,
    });
    const code = attempt.statusCode ?? 0;
    if (code >= 200 && code < 300) return;
    throw new Error(`status callback ${job.id} not taken: ${attempt.error ?? `HTTP ${code}`}`);
  }
}
