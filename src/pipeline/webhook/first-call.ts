import { createHash } from "node:crypto";
import { type EventJob, jobIdOf, type Scheduled, type WebhookJob } from "../jobs.js";

/** The `webhook-id` of one run of an event: stable across that delivery's retries. */
function webhookDeliveryId(ref: EventJob): string {
  const digest = createHash("sha256").update(`${ref.appId}\0${ref.eventId}\0${ref.run}`).digest("base64url");
  return `msg_${digest.slice(0, 26)}`;
}

/** The webhook job an event stage hands a run to in webhook mode: its first call, with the proposal. */
export function firstWebhookCall(
  ref: EventJob,
  proposal: WebhookJob["proposal"],
  expiresAt: Date,
): Scheduled<WebhookJob> {
  return {
    jobId: jobIdOf(ref.appId, ref.eventId, ref.run, "webhook", 1),
    job: {
      ...ref,
      deliveryId: webhookDeliveryId(ref),
      proposal,
      expiresAt: expiresAt.toISOString(),
      attempt: 1,
    },
  };
}
