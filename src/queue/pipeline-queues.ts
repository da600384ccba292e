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

type BulkJob<Data> = Parameters<Queue<Data>["addBulk"]>[0][number];

/**
 * `addBulk`, but one job is added alone: `addBulk` goes through an ioredis pipeline, whose
 * construction copies every command BullMQ defines (its scripts) onto it — on the 1:1 path,
 * most of what adding a job costs the process.
 */
async function addJobs<Data>(queue: Queue<Data>, jobs: BulkJob<Data>[]): Promise<void> {
  const [only] = jobs;
  if (jobs.length === 1 && only) await queue.add(only.name, only.data, only.opts);
  else if (jobs.length > 1) await queue.addBulk(jobs);
}

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
    await addJobs(
      this.queue,
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
    await addJobs(
      this.queue,
      jobs.map(({ job, jobId, delayMs }) => ({
        name: this.name,
        data: job,
        opts: { jobId, delay: delayMs, ...stageRetries, ...keepFinished },
      })) as BulkJob<Job>[],
    );
  }
}
