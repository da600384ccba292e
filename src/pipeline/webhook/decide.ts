import type { App, WebhookSettings } from "../../domain/apps/app.js";
import type { AudienceFilter } from "../../domain/audience/audience.js";
import type { LiveEvent } from "../../domain/events/live-event.js";
import type { CustomerDecision } from "../../webhooks/customer-answer.js";
import type { WebhookJob } from "../jobs.js";
import { fallbackPlan } from "./fallback.js";
import { answeredPlan, nothingSent, type WebhookPlan } from "./webhook-plan.js";
import { nextAttemptDelayMs, type WebhookRetryOptions } from "./webhook-retry.js";

/** After a call: send per a plan now, or call the customer's server again later. */
export type NextStep = { send: WebhookPlan } | { callAgainInMs: number };

/** The call being decided on. */
export interface DecidedCall {
  app: App;
  webhook: WebhookSettings;
  event: LiveEvent;
  job: WebhookJob;
}

/**
 * What an answer means: `send` as proposed or edited, `drop`, the app's fallback for an answer
 * that cannot be used, another attempt for an unanswered call while one can still help.
 */
export async function decideNextStep(
  decision: CustomerDecision,
  call: DecidedCall,
  parts: { audience: AudienceFilter; retries: WebhookRetryOptions },
): Promise<NextStep> {
  const { app, webhook, event, job } = call;
  switch (decision.kind) {
    case "send":
      return { send: await answeredPlan(app, event, job, decision, parts.audience, new Date()) };
    case "drop":
      return { send: nothingSent("dropped") };
    case "invalid":
    case "unreachable":
      return { send: fallbackPlan(app, job) };
    case "retry": {
      const delayMs = nextAttemptDelayMs(job, webhook.timeoutMs, decision.retryAfterMs, parts.retries);
      return delayMs === null ? { send: fallbackPlan(app, job) } : { callAgainInMs: delayMs };
    }
  }
}
