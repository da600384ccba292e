import { type Job, Worker } from "bullmq";
import type { Clock } from "../domain/clock.js";
import type { Logger } from "../observability/logger.js";
import { createQueue, queueNames, queuePrefix } from "../queue/queues.js";
import type { RedisConnection } from "../queue/redis.js";

/** A periodic task; each runs once per period across all worker processes. */
export interface MaintenanceTask {
  name: string;
  everyMs: number;
  /** Answers how many records it handled. */
  run(now: Date): Promise<number>;
  /** What the log says it did when it handled some, e.g. "removed expired records". */
  did: string;
}

/**
 * Registers the tasks as BullMQ job schedulers, which Redis deduplicates, so a
 * task runs once per period however many worker processes there are.
 */
export async function startMaintenance(
  tasks: MaintenanceTask[],
  connection: RedisConnection,
  prefix: string,
  logger: Logger,
  clock: Clock,
): Promise<{ close(): Promise<void> }> {
  const queue = createQueue(queueNames.maintenance, connection, prefix, logger);
  for (const task of tasks) {
    await queue.upsertJobScheduler(
      task.name,
      { every: task.everyMs },
      { name: task.name, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }
  const byName = new Map(tasks.map((task) => [task.name, task]));
  const worker = new Worker(
    queueNames.maintenance,
    async (job: Job) => {
      const task = byName.get(job.name);
      if (!task) return 0;
      const handled = await task.run(clock.now());
      if (handled > 0) logger.info({ task: task.name, records: handled }, `maintenance: ${task.did}`);
      return handled;
    },
    { connection, prefix: queuePrefix(prefix, queueNames.maintenance, connection), concurrency: 1 },
  );
  worker.on("error", (error) => logger.error({ err: error }, "maintenance worker error"));
  return {
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
