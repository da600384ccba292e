import type { WebhookSettings } from "../../domain/apps/app.js";
import type { AppRepository } from "../../domain/apps/app-repository.js";
import type { Clock } from "../../domain/clock.js";
import type { LiveEvent } from "../../domain/events/live-event.js";
import { buildDeliveryBody } from "../../webhooks/delivery-body.js";
import type { WebhookAttempt, WebhookCall } from "../../webhooks/webhook-client.js";
import type { WebhookJob } from "../jobs.js";

/**
 * A bounded number of calls in flight per app, shared by every worker process, so one
 * customer's slow endpoint never holds up other apps. A slot is leased: one whose holder died
 * frees itself when the lease runs out.
 */
export interface WebhookSlots {
  /** True once `holder` has a slot, at once or within `waitMs`; false when none came free. */
  acquire(appId: string, holder: string, leaseMs: number, waitMs: number): Promise<boolean>;
  release(appId: string, holder: string): Promise<void>;
}

export interface CustomerCallParts {
  slots: WebhookSlots;
  apps: Pick<AppRepository, "activeSecrets" | "findById">;
  client: { call(call: WebhookCall): Promise<WebhookAttempt> };
  clock: Clock;
}

/** Margin over the call's own timeout before a dead worker's slot frees itself. */
const slotLeaseMarginMs = 5000;
/** How long a job may wait for its app's next free slot before it is put back in the queue. */
const slotWaitMs = 1000;

/** The app a delivery is for, as a call reads it: where to, and the default locale it states. */
export interface CalledApp {
  webhook: WebhookSettings;
  defaultLocale: string;
}

/**
 * One call of the job's delivery to the customer's server, signed with the app's current
 * webhook secrets, in one of the app's slots; "busy" when no slot came free; "off" when the
 * webhook was turned off while the job waited for its slot (a probe goes on).
 */
export async function callCustomer(
  parts: CustomerCallParts,
  { webhook, defaultLocale }: CalledApp,
  event: LiveEvent,
  job: WebhookJob,
  jobId: string,
  probe: boolean,
): Promise<(WebhookAttempt & { request: string }) | "busy" | "off"> {
  const { slots, apps, client, clock } = parts;
  const leaseMs = webhook.timeoutMs + slotLeaseMarginMs;
  if (!(await slots.acquire(job.appId, jobId, leaseMs, slotWaitMs))) return "busy";
  try {
    // The app as cached now: the worker that turned the webhook off has told every process.
    if (!probe && (await apps.findById(job.appId))?.webhook?.disabled) return "off";
    const secrets = await apps.activeSecrets(job.appId, "webhook_secret", clock.now());
    const request = JSON.stringify(buildDeliveryBody(event, job.proposal, defaultLocale));
    const attempt = await client.call({
      url: webhook.url,
      id: job.deliveryId,
      body: request,
      secrets: secrets.map((secret) => secret.value),
      timeoutMs: webhook.timeoutMs,
    });
    return { ...attempt, request };
  } finally {
    await slots.release(job.appId, jobId);
  }
}
