import { createHash } from "node:crypto";
import type { AudienceFilter } from "../domain/audience/audience.js";
import type { Store } from "../storage/store.js";
import { type InlineDelivery, nextDelivery } from "./deliver.js";
import { inlineDelivery, planFanout, queuedMessage } from "./fanout.js";
import { type DeliveryQueue, type EventJob, jobIdOf, type WebhookQueue } from "./jobs.js";
import { applyMembership } from "./stages/membership.js";
import { proposeNotification } from "./stages/proposal.js";
import { applyToggles } from "./stages/toggles.js";

export interface EventProcessorOptions {
  fanoutChunkSize: number;
  /**
   * Audiences up to this many recipients are sent by the event job itself, not by a delivery
   * job: a direct message then costs one job instead of two. 0 queues every audience.
   */
  inlineDeliveryMaxRecipients: number;
}

/** The `webhook-id` of one run of an event: stable across that delivery's retries. */
export function webhookDeliveryId(ref: EventJob): string {
  const digest = createHash("sha256").update(`${ref.appId}\0${ref.eventId}\0${ref.run}`).digest("base64url");
  return `msg_${digest.slice(0, 26)}`;
}

/**
 * The first stage of an event: recipients, membership, wording, toggles; then, per the
 * app's mode, the fan-out into delivery jobs or the call to the customer's webhook.
 */
export class EventProcessor {
  constructor(
    private readonly store: Store,
    private readonly audience: AudienceFilter,
    private readonly deliveries: DeliveryQueue,
    private readonly webhooks: WebhookQueue,
    private readonly inline: InlineDelivery,
    private readonly options: EventProcessorOptions,
  ) {}

  async process(ref: EventJob): Promise<void> {
    const { appId, eventId, run } = ref;
    const app = await this.store.apps.findById(appId);
    if (!app) return;
    const expiresAt = new Date(Date.now() + app.notificationTtlSeconds * 1000);
    const started = await this.store.events.currentRun(appId, eventId, run);
    if (!started) return;
    const event = started.payload;

    const { notification, recipients } = await proposeNotification(appId, event, this.store.channels);
    await applyMembership(appId, event, this.store.channels);
    const { allowed, suppressed, suppressedBy } = notification
      ? await applyToggles(app, this.audience, event, notification.module, recipients)
      : { allowed: [], suppressed: [], suppressedBy: {} };
    const audience = {
      recipients: recipients.length,
      suppressed: suppressed.length,
      suppressedBy,
      expiresAt,
    };

    if (app.mode === "webhook") {
      const jobId = jobIdOf(appId, eventId, run, "webhook", 1);
      const recording = await this.store.events.recordAudience(appId, eventId, run, {
        ...audience,
        jobIds: [jobId],
      });
      if (recording === "not-current") return;
      await this.webhooks.add([
        {
          jobId,
          job: {
            ...ref,
            deliveryId: webhookDeliveryId(ref),
            proposal: { notification, recipientIds: allowed },
            threadId: event.channel?.id,
            expiresAt: expiresAt.toISOString(),
            attempt: 1,
          },
        },
      ]);
      return;
    }

    const fanout = notification
      ? planFanout(
          ref,
          queuedMessage(notification, event, expiresAt),
          allowed,
          this.options.fanoutChunkSize,
          "fanout",
        )
      : [];
    const inline = inlineDelivery(fanout, allowed.length, this.options.inlineDeliveryMaxRecipients);
    if (inline) {
      // A run taken over after a crash gets here again: the delivery ledger keeps the tokens
      // that already have their answer from being sent twice, and the report counts once.
      const result = await this.inline.send(app, inline.job, inline.jobId);
      const recording = await this.store.events.recordAudience(appId, eventId, run, {
        ...audience,
        jobIds: [],
        delivered: result.report,
      });
      if (recording === "not-current") return;
      const next = nextDelivery(inline.job, inline.jobId, result, recording === "recorded");
      if (next) await this.deliveries.add([next]);
      return;
    }
    const jobIds = fanout.map((job) => job.jobId);
    if (
      (await this.store.events.recordAudience(appId, eventId, run, { ...audience, jobIds })) !== "not-current"
    ) {
      await this.deliveries.add(fanout);
    }
  }
}
