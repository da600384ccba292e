import type { App } from "../../domain/apps/app.js";
import type { WebhookJob } from "../jobs.js";
import { nothingSent, proposalPlan, type WebhookPlan } from "./webhook-plan.js";

/**
 * What the app chose for an event its customer's server did not decide (no usable answer,
 * or no answer before the notification would expire): the proposal, or nothing.
 */
export function fallbackPlan(app: App, job: WebhookJob): WebhookPlan {
  return app.webhook?.fallback === "send" ? proposalPlan(job, "fallback_send") : nothingSent("fallback_drop");
}
