export interface RetryPolicyOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * Exponential backoff with "equal jitter": half the step fixed, half random, so
 * retries spread out without ever retrying immediately. A provider's Retry-After wins
 * when it asks for longer.
 */
export function retryDelayMs(
  attempt: number,
  options: RetryPolicyOptions,
  retryAfterMs = 0,
  random = Math.random,
): number {
  const step = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = step / 2 + random() * (step / 2);
  return Math.round(Math.max(jittered, retryAfterMs));
}
