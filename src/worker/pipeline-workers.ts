import { DelayedError, type Job, type Processor, Worker, type WorkerOptions } from "bullmq";
import type { EventRepository } from "../domain/events/event-repository.js";
import type { Logger } from "../observability/logger.js";
import type { ReceiptCheck } from "../pipeline/check-receipts.js";
import type { DeliveryProcessor } from "../pipeline/deliver.js";
import type { DeliveryJob, EventJob, ReceiptJob, RunRef, WebhookJob } from "../pipeline/jobs.js";
import type { EventProcessor } from "../pipeline/process-event.js";
import type { WebhookForwarder } from "../pipeline/webhook/forward-to-webhook.js";
import { type QueueName, queueNames, queuePrefix } from "../queue/queues.js";
import type { RedisConnection } from "../queue/redis.js";

export interface PipelineWorkerOptions {
  connection: RedisConnection;
  prefix: string;
  eventConcurrency: number;
  deliveryConcurrency: number;
  webhookConcurrency: number;
  receiptConcurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
}

export interface PipelineStages {
  events: EventProcessor;
  deliveries: DeliveryProcessor;
  webhooks: WebhookForwarder;
  receipts: ReceiptCheck;
}

/**
 * How long a webhook job whose app has no free slot waits before it looks again: briefly at
 * first, since a slot of a healthy app frees in milliseconds, then longer each time, so the
 * jobs of an app whose endpoint hangs do not keep the workers busy looking.
 */
function busyDelayMs(timesBusy: number): number {
  const ceiling = Math.min(busyDelayFirstMs * 2 ** (timesBusy - 1), busyDelayMaxMs);
  return Math.ceil(ceiling / 2 + Math.random() * (ceiling / 2));
}

const busyDelayFirstMs = 20;
const busyDelayMaxMs = 1000;

/**
 * Whether BullMQ failed the job for good: out of attempts, or unrecoverable whatever attempts
 * it has left, as BullMQ fails a job that stalled more than `maxStalledCount` times.
 */
function failedForGood(job: Job, error: Error): boolean {
  return error.name === "UnrecoverableError" || job.attemptsMade >= (job.opts.attempts ?? 1);
}

/** Binds the pipeline stages to their BullMQ queues. */
export function startPipelineWorkers(
  stages: PipelineStages,
  runs: Pick<EventRepository, "markFailed">,
  options: PipelineWorkerOptions,
  logger: Logger,
): { close(): Promise<void> } {
  const common: WorkerOptions = {
    connection: options.connection,
    lockDuration: options.lockDurationMs,
    stalledInterval: options.stalledIntervalMs,
    maxStalledCount: 10,
  };
  const worker = <Data extends RunRef>(name: QueueName, concurrency: number, processor: Processor<Data>) =>
    new Worker<Data>(name, processor, {
      ...common,
      prefix: queuePrefix(options.prefix, name, options.connection),
      concurrency,
    });

  const workers = [
    worker<EventJob>(queueNames.events, options.eventConcurrency, (job) => stages.events.process(job.data)),
    worker<DeliveryJob>(queueNames.deliveries, options.deliveryConcurrency, (job) =>
      stages.deliveries.process(job.data, job.id as string),
    ),
    worker<WebhookJob>(queueNames.webhooks, options.webhookConcurrency, async (job, token) => {
      if ((await stages.webhooks.process(job.data, job.id as string)) === "busy") {
        // Another app's turn: BullMQ puts the job back without counting an attempt.
        // attemptsStarted counts every time the job was taken, attemptsMade only real failures.
        await job.moveToDelayed(Date.now() + busyDelayMs(job.attemptsStarted - job.attemptsMade), token);
        throw new DelayedError();
      }
    }),
    worker<ReceiptJob>(queueNames.receipts, options.receiptConcurrency, (job) =>
      stages.receipts.process(job.data),
    ),
  ];

  /** A stage that kept failing ends its event as `failed`, with the reason. */
  const onFinalFailure = async (job: Job<RunRef> | undefined, error: Error) => {
    if (!job) return;
    logger.error(
      { err: error, queue: job.queueName, job: job.id, attempts: job.attemptsMade },
      "pipeline job failed",
    );
    // A receipt check comes after the event's run is done: its failure fails no event.
    if (!failedForGood(job, error) || job.queueName === queueNames.receipts) return;
    const { appId, eventId, run } = job.data;
    await runs.markFailed(appId, eventId, run, error.message).catch((markError: unknown) => {
      logger.error({ err: markError }, "could not mark the event failed");
    });
  };
  for (const each of workers) {
    each.on("failed", (job, error) => void onFinalFailure(job, error));
    each.on("error", (error) => logger.error({ err: error, queue: each.name }, "worker error"));
  }
  return {
    async close() {
      await Promise.all(workers.map((each) => each.close()));
    },
  };
}
