import type { CustomerDecision } from "../../webhooks/customer-answer.js";
import type { WebhookAttempt } from "../../webhooks/webhook-client.js";
import type { RunRef } from "../jobs.js";
import type { WebhookLog } from "../run-ledger.js";

/** Told of every call to a customer's server: what the answer meant, and how long it took. */
export interface WebhookObserver {
  attempt(outcome: CustomerDecision["kind"], durationMs: number): void;
}

/** How much of the body sent the log keeps: enough to read a proposal; a big audience's ids are cut. */
const keptRequestChars = 16_384;

/**
 * Keeps a call in the event's attempt log, which the event's status and the console's story show,
 * and tells the observer. The body sent is kept with a delivery's first call: its retries send the same.
 */
export async function recordAttempt(
  log: Pick<WebhookLog, "recordWebhookAttempt">,
  ref: RunRef & { attempt: number },
  attempt: WebhookAttempt & { request: string },
  observer?: WebhookObserver,
): Promise<void> {
  await log.recordWebhookAttempt(ref.appId, ref.eventId, {
    run: ref.run,
    at: attempt.at,
    statusCode: attempt.statusCode,
    durationMs: attempt.durationMs,
    error: attempt.error,
    response: attempt.response,
    request: ref.attempt === 1 ? attempt.request.slice(0, keptRequestChars) : null,
  });
  observer?.attempt(attempt.decision.kind, attempt.durationMs);
}
