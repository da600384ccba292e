import type { Scheduled, WebhookJob } from "../jobs.js";
import { type RetryPolicyOptions, retryDelayMs } from "../retry-policy.js";

export interface WebhookRetryOptions {
  /** Calls of one delivery at most; undefined: as many as fit before the TTL. */
  maxAttempts: number | undefined;
  retry: RetryPolicyOptions;
}

/** What the last attempt leaves before the TTL, so that a fallback `send` still reaches devices. */
const fallbackDeliveryMarginMs = 1000;

/**
 * How long until the next call of an unanswered delivery, or null when there is to be none:
 * the attempts are used up, or another one could not end while the notification is still
 * worth sending.
 */
export function nextAttemptDelayMs(
  job: WebhookJob,
  timeoutMs: number,
  retryAfterMs: number | undefined,
  options: WebhookRetryOptions,
): number | null {
  const delayMs = retryDelayMs(job.attempt, options.retry, retryAfterMs);
  const attemptEnds = Date.now() + delayMs + timeoutMs;
  const timeLeft = attemptEnds + fallbackDeliveryMarginMs < new Date(job.expiresAt).getTime();
  const attemptsLeft = options.maxAttempts === undefined || job.attempt < options.maxAttempts;
  return attemptsLeft && timeLeft ? delayMs : null;
}

/** The next call of the same delivery (same `webhook-id`). */
export function webhookRetry(job: WebhookJob, jobId: string, delayMs: number): Scheduled<WebhookJob> {
  return { job: { ...job, attempt: job.attempt + 1 }, jobId: `${jobId}/retry`, delayMs };
}
