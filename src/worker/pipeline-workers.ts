import { type Job, Worker, type WorkerOptions } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../observability/logger.js";
import type { DeliveryProcessor } from "../pipeline/deliver.js";
import type { DeliveryJob, EventJob } from "../pipeline/jobs.js";
import type { EventProcessor } from "../pipeline/process-event.js";
import { queueNames } from "../queue/queues.js";
import type { Store } from "../storage/store.js";

export interface PipelineWorkerOptions {
  connection: Redis;
  prefix: string;
  eventConcurrency: number;
  deliveryConcurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
}

/** Binds the pipeline stages to their BullMQ queues. */
export function startPipelineWorkers(
  events: EventProcessor,
  deliveries: DeliveryProcessor,
  store: Store,
  options: PipelineWorkerOptions,
  logger: Logger,
): { close(): Promise<void> } {
  const common: WorkerOptions = {
    connection: options.connection,
    prefix: options.prefix,
    lockDuration: options.lockDurationMs,
    stalledInterval: options.stalledIntervalMs,
    maxStalledCount: 10,
  };
  const eventWorker = new Worker<EventJob>(queueNames.events, (job) => events.process(job.data), {
    ...common,
    concurrency: options.eventConcurrency,
  });
  const deliveryWorker = new Worker<DeliveryJob>(
    queueNames.deliveries,
    (job) => deliveries.process(job.data),
    {
      ...common,
      concurrency: options.deliveryConcurrency,
    },
  );

  /** A stage that kept failing ends its event as `failed`, with the reason. */
  const onFinalFailure = async (job: Job<EventJob | DeliveryJob> | undefined, error: Error) => {
    if (!job) return;
    logger.error(
      { err: error, queue: job.queueName, job: job.id, attempts: job.attemptsMade },
      "pipeline job failed",
    );
    if (job.attemptsMade < (job.opts.attempts ?? 1)) return;
    const { appId, eventId, run } = job.data;
    await store.events.markFailed(appId, eventId, run, error.message).catch((markError: unknown) => {
      logger.error({ err: markError }, "could not mark the event failed");
    });
  };
  for (const worker of [eventWorker, deliveryWorker]) {
    worker.on("failed", (job, error) => void onFinalFailure(job, error));
    worker.on("error", (error) => logger.error({ err: error, queue: worker.name }, "worker error"));
  }
  return {
    async close() {
      await Promise.all([eventWorker.close(), deliveryWorker.close()]);
    },
  };
}
