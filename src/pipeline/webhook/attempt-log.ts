import type { CustomerDecision } from "../../webhooks/customer-answer.js";
import type { WebhookAttempt } from "../../webhooks/webhook-client.js";
import type { RunRef } from "../jobs.js";
import type { WebhookLog } from "../run-ledger.js";

/** Told of every call to a customer's server: what the answer meant, and how long it took. */
export interface WebhookObserver {
  attempt(outcome: CustomerDecision["kind"], durationMs: number): void;
}

/** Keeps a call in the event's attempt log, which the event's status shows, and tells the observer. */
export async function recordAttempt(
  log: Pick<WebhookLog, "recordWebhookAttempt">,
  ref: RunRef,
  attempt: WebhookAttempt,
  observer?: WebhookObserver,
): Promise<void> {
  await log.recordWebhookAttempt(ref.appId, ref.eventId, {
    run: ref.run,
    at: attempt.at,
    statusCode: attempt.statusCode,
    durationMs: attempt.durationMs,
    error: attempt.error,
    response: attempt.response,
  });
  observer?.attempt(attempt.decision.kind, attempt.durationMs);
}
