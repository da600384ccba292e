import type { App } from "../domain/apps/app.js";
import type { AudienceFilter } from "../domain/audience/audience.js";
import type { AudienceCounts, WebhookOutcome } from "../domain/events/event-record.js";
import type { LiveEvent } from "../domain/events/live-event.js";
import type { Store } from "../storage/store.js";
import type { AppSlots } from "../webhooks/app-slots.js";
import type { CustomerDecision, NotificationEdit } from "../webhooks/customer-answer.js";
import { buildDeliveryBody } from "../webhooks/delivery-body.js";
import type { WebhookAttempt, WebhookClient } from "../webhooks/webhook-client.js";
import { type InlineDelivery, nextDelivery } from "./deliver.js";
import { inlineDelivery, planFanout, queuedMessage } from "./fanout.js";
import type { DeliveryJob, DeliveryQueue, Scheduled, WebhookJob, WebhookQueue } from "./jobs.js";
import { type RetryPolicyOptions, retryDelayMs } from "./retry-policy.js";
import { mergeEdit } from "./stages/edit.js";
import type { Notification } from "./stages/render.js";
import { applyToggles } from "./stages/toggles.js";

/** Told of every call to a customer's server: what the answer meant, and how long it took. */
export interface WebhookObserver {
  attempt(outcome: CustomerDecision["kind"], durationMs: number): void;
}

export interface WebhookForwarderOptions {
  fanoutChunkSize: number;
  /** Audiences up to this size are sent by the webhook job itself (`EventProcessorOptions`). */
  inlineDeliveryMaxRecipients: number;
  maxAttempts: number;
  retry: RetryPolicyOptions;
}

/** What the worker does with a webhook job: done, or no slot free for its app yet. */
export type ForwardResult = "done" | "busy";

/** What the gateway will send after the customer's answer. */
interface Plan {
  outcome: WebhookOutcome;
  notification: Notification | null;
  recipientIds: string[];
  audience?: AudienceCounts;
}

/** Margin over the call's own timeout before a dead worker's slot frees itself. */
const slotLeaseMarginMs = 5000;
/** How long a job may wait for its app's next free slot before it is put back in the queue. */
const slotWaitMs = 1000;
/** What the last attempt leaves before the TTL, so that a fallback `send` still reaches devices. */
const fallbackDeliveryMarginMs = 1000;

/**
 * Webhook mode (SPEC §8): forwards an event with the proposed notification to the
 * customer's server, and sends what the answer says (as proposed, edited, or nothing),
 * retrying unanswered calls until the TTL, then applying the app's fallback.
 */
export class WebhookForwarder {
  constructor(
    private readonly store: Store,
    private readonly audience: AudienceFilter,
    private readonly client: WebhookClient,
    private readonly slots: AppSlots,
    private readonly deliveries: DeliveryQueue,
    private readonly inline: InlineDelivery,
    private readonly webhooks: WebhookQueue,
    private readonly options: WebhookForwarderOptions,
    private readonly observer?: WebhookObserver,
  ) {}

  async process(job: WebhookJob, jobId: string): Promise<ForwardResult> {
    const { appId, eventId, run } = job;
    const app = await this.store.apps.findById(appId);
    const record = await this.store.events.find(appId, eventId);
    if (!app || !record || record.run !== run) return "done";
    const event = record.payload;
    if (!app.webhook)
      return this.finish(app, job, jobId, event, { outcome: "failed", notification: null, recipientIds: [] });

    const leaseMs = app.webhook.timeoutMs + slotLeaseMarginMs;
    if (!(await this.slots.acquire(appId, jobId, leaseMs, slotWaitMs))) return "busy";
    let attempt: WebhookAttempt;
    try {
      const secrets = await this.store.apps.activeSecrets(appId, "webhook_secret", new Date());
      attempt = await this.client.call({
        url: app.webhook.url,
        id: job.deliveryId,
        body: JSON.stringify(buildDeliveryBody(event, job.proposal.notification, job.proposal.recipientIds)),
        secrets: secrets.map((secret) => secret.value),
        timeoutMs: app.webhook.timeoutMs,
      });
    } finally {
      await this.slots.release(appId, jobId);
    }
    await this.store.events.recordWebhookAttempt(appId, eventId, {
      run,
      at: attempt.at,
      statusCode: attempt.statusCode,
      durationMs: attempt.durationMs,
      error: attempt.error,
      response: attempt.response,
    });
    this.observer?.attempt(attempt.decision.kind, attempt.durationMs);

    const decision = attempt.decision;
    switch (decision.kind) {
      case "send":
        return this.finish(app, job, jobId, event, await this.edited(app, event, job, decision));
      case "drop":
        return this.finish(app, job, jobId, event, {
          outcome: "dropped",
          notification: null,
          recipientIds: [],
        });
      case "invalid":
      case "unreachable":
        return this.finish(app, job, jobId, event, this.fallback(app, job));
      case "retry": {
        const delayMs = retryDelayMs(job.attempt, this.options.retry, decision.retryAfterMs);
        // Another attempt must be able to finish while the notification is still worth sending.
        const attemptEnds = Date.now() + delayMs + app.webhook.timeoutMs;
        const timeLeft = attemptEnds + fallbackDeliveryMarginMs < new Date(job.expiresAt).getTime();
        if (job.attempt >= this.options.maxAttempts || !timeLeft) {
          return this.finish(app, job, jobId, event, this.fallback(app, job));
        }
        const retry: Scheduled<WebhookJob> = {
          job: { ...job, attempt: job.attempt + 1 },
          jobId: `${jobId}/retry`,
          delayMs,
        };
        await this.store.events.recordJobDone(appId, eventId, run, {
          jobId,
          counts: { sent: 0, failed: 0, invalidTokens: 0, expired: 0 },
          newTokens: 0,
          followUps: [retry.jobId],
        });
        await this.webhooks.add([retry]);
        return "done";
      }
    }
  }

  /** `send` as proposed, or with the customer's edits; a new recipient list goes through the toggles again. */
  private async edited(
    app: App,
    event: LiveEvent,
    job: WebhookJob,
    answer: { notification?: NotificationEdit; recipientIds?: string[] },
  ): Promise<Plan> {
    const notification = mergeEdit(job.proposal.notification, answer.notification, event);
    if (!answer.notification && !answer.recipientIds) {
      return { outcome: "send", notification, recipientIds: job.proposal.recipientIds };
    }
    if (!answer.recipientIds || !notification) {
      return { outcome: "edited", notification, recipientIds: job.proposal.recipientIds };
    }
    const actorId = event.actor?.id;
    const wanted = [...new Set(answer.recipientIds)].filter((id) => id !== actorId);
    const decision = await applyToggles(app, this.audience, event, notification.module, wanted);
    return {
      outcome: "edited",
      notification,
      recipientIds: decision.allowed,
      audience: {
        recipients: wanted.length,
        suppressed: decision.suppressed.length,
        suppressedBy: decision.suppressedBy,
      },
    };
  }

  private fallback(app: App, job: WebhookJob): Plan {
    return app.webhook?.fallback === "send"
      ? {
          outcome: "fallback_send",
          notification: job.proposal.notification,
          recipientIds: job.proposal.recipientIds,
        }
      : { outcome: "fallback_drop", notification: null, recipientIds: [] };
  }

  private async finish(
    app: App,
    job: WebhookJob,
    jobId: string,
    event: LiveEvent,
    plan: Plan,
  ): Promise<ForwardResult> {
    const { appId, eventId, run } = job;
    const fanout: Scheduled<DeliveryJob>[] = plan.notification
      ? planFanout(
          job,
          queuedMessage(plan.notification, event, job.expiresAt),
          plan.recipientIds,
          this.options.fanoutChunkSize,
          "webhook-fanout",
        )
      : [];
    await this.store.events.recordWebhookOutcome(appId, eventId, run, plan.outcome, plan.audience);
    const inline = inlineDelivery(fanout, plan.recipientIds.length, this.options.inlineDeliveryMaxRecipients);
    if (inline) {
      // The webhook job reports what it sent; a job run again after a crash counts once.
      const result = await this.inline.send(app, inline.job, inline.jobId);
      const reported = await this.store.events.recordJobDone(appId, eventId, run, {
        ...result.report,
        jobId,
      });
      const next = nextDelivery(inline.job, inline.jobId, result, reported);
      if (next) await this.deliveries.add([next]);
      return "done";
    }
    await this.store.events.recordJobDone(appId, eventId, run, {
      jobId,
      counts: { sent: 0, failed: 0, invalidTokens: 0, expired: 0 },
      newTokens: 0,
      followUps: fanout.map((entry) => entry.jobId),
    });
    await this.deliveries.add(fanout);
    return "done";
  }
}
