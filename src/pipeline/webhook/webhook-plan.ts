import type { App } from "../../domain/apps/app.js";
import type { AudienceFilter } from "../../domain/audience/audience.js";
import type { AudienceCounts, WebhookOutcome } from "../../domain/events/event-record.js";
import type { LiveEvent } from "../../domain/events/live-event.js";
import type { NotificationEdit } from "../../webhooks/customer-answer.js";
import type { WebhookJob } from "../jobs.js";
import { mergeEdit } from "../stages/edit.js";
import type { Notification } from "../stages/render.js";
import { applyToggles } from "../stages/toggles.js";

/** What the gateway sends once the customer's server has decided, and the outcome it records. */
export interface WebhookPlan {
  outcome: WebhookOutcome;
  notification: Notification | null;
  recipientIds: string[];
  /** Those of `recipientIds` that get it without sound. */
  silentRecipientIds: string[];
  /** Replaces the run's audience counts: the customer chose other recipients. */
  audience?: AudienceCounts;
}

export function nothingSent(outcome: WebhookOutcome): WebhookPlan {
  return { outcome, notification: null, recipientIds: [], silentRecipientIds: [] };
}

/** The proposal as it was made, to the proposed recipients. */
export function proposalPlan(job: WebhookJob, outcome: WebhookOutcome): WebhookPlan {
  return {
    outcome,
    notification: job.proposal.notification,
    recipientIds: job.proposal.recipientIds,
    silentRecipientIds: job.proposal.silentRecipientIds ?? [],
  };
}

/** `send` as proposed, or with the customer's edits; a new recipient list goes through the toggles again, at `at`. */
export async function answeredPlan(
  app: App,
  event: LiveEvent,
  job: WebhookJob,
  answer: { notification?: NotificationEdit; recipientIds?: string[] },
  audience: AudienceFilter,
  at: Date,
): Promise<WebhookPlan> {
  if (!answer.notification && !answer.recipientIds) return proposalPlan(job, "send");
  const notification = mergeEdit(job.proposal.notification, answer.notification, event);
  if (!answer.recipientIds || !notification) return { ...proposalPlan(job, "edited"), notification };
  const actorId = event.actor?.id;
  const wanted = [...new Set(answer.recipientIds)].filter((id) => id !== actorId);
  const decision = await applyToggles(app, audience, event, notification.module, wanted, at);
  return {
    outcome: "edited",
    notification,
    recipientIds: decision.allowed,
    silentRecipientIds: decision.silent,
    audience: {
      recipients: wanted.length,
      suppressed: decision.suppressed.length,
      suppressedBy: decision.suppressedBy,
    },
  };
}
