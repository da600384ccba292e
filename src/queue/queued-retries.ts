import type { Queue } from "bullmq";

/**
 * When jobs waiting out a retry's backoff are due. The time is the queue's alone: a retry's
 * delay, jitter included, is chosen when it is queued and kept with the job, not in the store.
 */
export class QueuedRetries {
  constructor(private readonly queues: Queue[]) {}

  /** The soonest time one of these jobs is due again; null when none of them waits out a delay. */
  async soonest(jobIds: string[]): Promise<Date | null> {
    const dueTimes = await Promise.all(
      jobIds.flatMap((jobId) => this.queues.map((queue) => this.dueAt(queue, jobId))),
    );
    const due = dueTimes.filter((time): time is number => time !== null);
    return due.length === 0 ? null : new Date(Math.min(...due));
  }

  private async dueAt(queue: Queue, jobId: string): Promise<number | null> {
    const job = await queue.getJob(jobId);
    if (!job || !(await job.isDelayed())) return null;
    return job.timestamp + job.delay;
  }
}
