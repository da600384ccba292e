import type { AudienceFilter } from "../domain/audience/audience.js";
import type { Store } from "../storage/store.js";
import { type DeliveryQueue, type EventJob, jobIdOf, type QueuedMessage } from "./jobs.js";
import { applyMembership } from "./stages/membership.js";
import { resolveRecipients } from "./stages/recipients.js";
import { renderNotification } from "./stages/render.js";
import { applyToggles } from "./stages/toggles.js";

export interface EventProcessorOptions {
  fanoutChunkSize: number;
}

/**
 * The first stage of an event: membership, recipients, wording, toggles, then the
 * fan-out cut into delivery jobs of `fanoutChunkSize` recipients each.
 */
export class EventProcessor {
  constructor(
    private readonly store: Store,
    private readonly audience: AudienceFilter,
    private readonly deliveries: DeliveryQueue,
    private readonly options: EventProcessorOptions,
  ) {}

  async process({ appId, eventId, run }: EventJob): Promise<void> {
    const app = await this.store.apps.findById(appId);
    if (!app) return;
    const expiresAt = new Date(Date.now() + app.notificationTtlSeconds * 1000);
    const started = await this.store.events.startRun(appId, eventId, run, expiresAt);
    if (!started) return;
    const event = started.payload;

    const recipients = await resolveRecipients(appId, event, this.store.channels);
    await applyMembership(appId, event, this.store.channels);
    const notification = renderNotification(event);
    if (!notification) {
      await this.store.events.recordAudience(appId, eventId, run, { recipients: 0, suppressed: 0, jobs: 0 });
      return;
    }
    const { allowed, suppressed } = await applyToggles(
      app,
      this.audience,
      event,
      notification.module,
      recipients,
    );
    const message: QueuedMessage = {
      title: notification.title,
      body: notification.body,
      data: notification.data,
      threadId: event.channel?.id,
      expiresAt: expiresAt.toISOString(),
      call: notification.call,
    };
    const chunks: string[][] = [];
    for (let start = 0; start < allowed.length; start += this.options.fanoutChunkSize) {
      chunks.push(allowed.slice(start, start + this.options.fanoutChunkSize));
    }
    await this.store.events.recordAudience(appId, eventId, run, {
      recipients: recipients.length,
      suppressed: suppressed.length,
      jobs: chunks.length,
    });
    await this.deliveries.add(
      chunks.map((userIds, index) => ({
        job: { appId, eventId, run, message, userIds, attempt: 1 },
        jobId: jobIdOf(appId, eventId, run, index),
      })),
    );
  }
}
