import type { Queue } from "bullmq";
import type { QueuedRun } from "../domain/events/event-repository.js";
import type { SweptQueue } from "../pipeline/ingest/lost-events.js";
import { type EventJob, type JobQueue, jobIdOf, type Scheduled } from "../pipeline/jobs.js";
import type { ReplicaAcknowledgement } from "./replica-acknowledgement.js";

/**
 * Pipeline jobs are retried by BullMQ when a stage throws (database or Redis hiccup);
 * provider answers are retried per token by the pipeline itself.
 */
const stageRetries = { attempts: 8, backoff: { type: "exponential", delay: 1000 } } as const;
const keepFinished = { removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } } as const;

export class BullEventQueue implements SweptQueue {
  /** `replicated` resolves once the jobs just added are safe from a failover (Sentinel). */
  constructor(
    private readonly queue: Queue<EventJob>,
    private readonly replicated: ReplicaAcknowledgement,
  ) {}

  async missing(runs: QueuedRun[]): Promise<QueuedRun[]> {
    const states = await Promise.all(
      runs.map(({ appId, id, run }) => this.queue.getJobState(jobIdOf(appId, id, run))),
    );
    return runs.filter((_, index) => states[index] === "unknown");
  }

  async enqueue(appId: string, eventIds: string[], run: number): Promise<void> {
    await this.queue.addBulk(
      eventIds.map((eventId) => ({
        name: "event",
        data: { appId, eventId, run },
        opts: { jobId: jobIdOf(appId, eventId, run), ...stageRetries, ...keepFinished },
      })),
    );
    await this.replicated();
  }
}

/** Enqueues pipeline jobs (deliveries, webhook calls) under their stable ids. */
export class BullJobQueue<Job> implements JobQueue<Job> {
  constructor(
    private readonly queue: Queue<Job>,
    private readonly name: string,
  ) {}

  async add(jobs: Scheduled<Job>[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue.addBulk(
      jobs.map(({ job, jobId, delayMs }) => ({
        name: this.name,
        data: job,
        opts: { jobId, delay: delayMs, ...stageRetries, ...keepFinished },
      })) as Parameters<Queue<Job>["addBulk"]>[0],
    );
  }
}
