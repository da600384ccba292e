import type { Queue } from "bullmq";
import type { CallbackJob, CallbackQueue } from "../pipeline/callbacks/status-callbacks.js";

/** Tries of a status callback: the n-th retry waits `retryBaseMs × 2^(n-1)`. */
export const callbackAttempts = 10;

/** Queues status callbacks under their `webhook-id`, so that one queued twice is made once. */
export class BullCallbackQueue implements CallbackQueue {
  constructor(
    private readonly queue: Queue<CallbackJob>,
    private readonly retryBaseMs: number,
  ) {}

  async add(job: CallbackJob): Promise<void> {
    await this.queue.add("callback", job, {
      jobId: job.id,
      attempts: callbackAttempts,
      backoff: { type: "exponential", delay: this.retryBaseMs },
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }
}
