import { Worker } from "bullmq";
import type { Logger } from "../observability/logger.js";
import type { CallbackSender } from "../pipeline/callbacks/send-callback.js";
import type { CallbackJob } from "../pipeline/callbacks/status-callbacks.js";
import { queueNames, queuePrefix } from "../queue/queues.js";
import type { RedisConnection } from "../queue/redis.js";

export interface CallbackWorkerOptions {
  connection: RedisConnection;
  prefix: string;
  concurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
}

/** Makes the status callbacks, on a queue of their own: a slow receiver holds up no notification. */
export function startCallbackWorker(
  sender: CallbackSender,
  options: CallbackWorkerOptions,
  logger: Logger,
): { close(): Promise<void> } {
  const worker = new Worker<CallbackJob>(queueNames.callbacks, (job) => sender.process(job.data), {
    connection: options.connection,
    prefix: queuePrefix(options.prefix, queueNames.callbacks, options.connection),
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs,
    stalledInterval: options.stalledIntervalMs,
  });
  worker.on("failed", (job, error) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    logger[final ? "error" : "warn"](
      { err: error, app: job.data.appId, callback: job.id, attempts: job.attemptsMade },
      final ? "status callback given up" : "status callback failed, will retry",
    );
  });
  worker.on("error", (error) => logger.error({ err: error, queue: worker.name }, "worker error"));
  return { close: () => worker.close() };
}
