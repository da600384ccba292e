import type { App } from "../../domain/apps/app.js";
import type { AudienceFilter } from "../../domain/audience/audience.js";
import type { LiveEvent } from "../../domain/events/live-event.js";
import { type AppLookup, currentRunOf } from "../current-run.js";
import type { Dispatcher } from "../dispatch/dispatcher.js";
import { queuedMessage } from "../dispatch/fanout-plan.js";
import { jobReporter, queueAfterReport } from "../dispatch/run-reports.js";
import { runOf, type WebhookJob, type WebhookQueue } from "../jobs.js";
import type { RunLedger, WebhookLog } from "../run-ledger.js";
import { recordAttempt, type WebhookObserver } from "./attempt-log.js";
import type { WebhookBreaker } from "./breaker.js";
import { type CustomerCallParts, callCustomer } from "./customer-call.js";
import { decideNextStep, type NextStep } from "./decide.js";
import { fallbackPlan } from "./fallback.js";
import { nothingSent, type WebhookPlan } from "./webhook-plan.js";
import { type WebhookRetryOptions, webhookRetry } from "./webhook-retry.js";

export interface WebhookForwarderParts extends CustomerCallParts {
  apps: AppLookup & CustomerCallParts["apps"];
  runs: Pick<RunLedger, "find" | "recordJobDone">;
  log: WebhookLog;
  audience: AudienceFilter;
  dispatcher: Pick<Dispatcher, "fanOut">;
  webhooks: WebhookQueue;
  retries: WebhookRetryOptions;
  breaker: Pick<WebhookBreaker, "gate" | "afterCall">;
  observer?: WebhookObserver;
}

/** What the worker does with a webhook job: done, or no slot free for its app yet. */
export type ForwardResult = "done" | "busy";

/**
 * Webhook mode: forwards an event with the proposed notification to the customer's server,
 * then sends what the answer says (as proposed, edited, or nothing), calling again while
 * unanswered until the TTL, then applying the app's fallback. While the breaker has the
 * webhook off, the fallback applies at once, but for the interval's probe.
 */
export class WebhookForwarder {
  constructor(private readonly parts: WebhookForwarderParts) {}

  async process(job: WebhookJob, jobId: string): Promise<ForwardResult> {
    const current = await currentRunOf(this.parts.apps, this.parts.runs, job);
    if (!current) return "done";
    const { app, event } = current;
    if (!app.webhook) {
      await this.dispatch(app, event, job, jobId, nothingSent("failed"));
      return "done";
    }

    const { breaker } = this.parts;
    const gate = await breaker.gate(app.id, app.webhook);
    if (gate === "skip") {
      await this.dispatch(app, event, job, jobId, fallbackPlan(app, job));
      return "done";
    }
    const attempt = await callCustomer(
      this.parts,
      { webhook: app.webhook, defaultLocale: app.defaultLocale },
      event,
      job,
      jobId,
      gate === "probe",
    );
    if (attempt === "busy") return "busy";
    if (attempt === "off") {
      await this.dispatch(app, event, job, jobId, fallbackPlan(app, job));
      return "done";
    }
    await recordAttempt(this.parts.log, job, attempt, this.parts.observer);

    const state = await breaker.afterCall(app, app.webhook, attempt.decision, gate);
    const next: NextStep =
      state === "off"
        ? { send: fallbackPlan(app, job) }
        : await decideNextStep(attempt.decision, { app, webhook: app.webhook, event, job }, this.parts);
    if ("send" in next) await this.dispatch(app, event, job, jobId, next.send);
    else {
      const reporter = jobReporter(this.parts.runs, job, jobId);
      await queueAfterReport(reporter, this.parts.webhooks, [webhookRetry(job, jobId, next.callAgainInMs)]);
    }
    return "done";
  }

  /** Records the customer's decision, then sends the plan; the webhook job reports the delivery. */
  private async dispatch(
    app: App,
    event: LiveEvent,
    job: WebhookJob,
    jobId: string,
    plan: WebhookPlan,
  ): Promise<void> {
    const { log, dispatcher, runs } = this.parts;
    await log.recordWebhookOutcome(job.appId, job.eventId, job.run, plan.outcome, plan.audience);
    await dispatcher.fanOut(
      app,
      {
        ref: runOf(job),
        event,
        message: plan.notification && queuedMessage(plan.notification, event, job.expiresAt),
        recipientIds: plan.recipientIds,
        silentRecipientIds: plan.silentRecipientIds,
        label: "webhook-fanout",
      },
      jobReporter(runs, job, jobId),
    );
  }
}
