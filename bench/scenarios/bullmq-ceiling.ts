import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { now } from "../client/gateway-client.js";

export interface BullmqCeiling {
  jobs: number;
  concurrency: number;
  addedPerSecond: number;
  /** No-op jobs completed per second by one Worker: the most any stage of the pipeline could do. */
  processedPerSecond: number;
  /**
   * Jobs per second through two no-op stages, the first adding the second's job as the event
   * stage adds a delivery job: the most a 1:1 direct push could do with no work at all.
   */
  twoStagePerSecond: number;
}

const chunk = 1000;
const jobOptions = { attempts: 8, removeOnComplete: true } as const;

function jobData(index: number) {
  return { appId: "app_ceiling", eventId: `evt_${index}`, run: 0 };
}

async function addAll(queue: Queue, jobs: number, stage: string): Promise<number> {
  const started = now();
  for (let start = 0; start < jobs; start += chunk) {
    await queue.addBulk(
      Array.from({ length: Math.min(chunk, jobs - start) }, (_, offset) => ({
        name: "noop",
        data: jobData(start + offset),
        opts: { jobId: `${stage}/${start + offset}`, ...jobOptions },
      })),
    );
  }
  return (jobs / (now() - started)) * 1000;
}

/** Starts `worker` and resolves with the time its `jobs`-th job completed. */
function untilCompleted(worker: Worker, jobs: number): Promise<number> {
  let completed = 0;
  return new Promise((resolve) => {
    worker.on("completed", () => {
      completed += 1;
      if (completed === jobs) resolve(now());
    });
    void worker.run();
  });
}

/**
 * BullMQ alone on the same Redis: `jobs` no-op jobs shaped like the gateway's (same options,
 * a small payload) added with addBulk, then worked off by one Worker; then the same through
 * two stages.
 */
export async function measureBullmqCeiling(
  redisUrl: string,
  prefix: string,
  jobs: number,
  concurrency: number,
): Promise<BullmqCeiling> {
  const connections = Array.from({ length: 4 }, () => new Redis(redisUrl, { maxRetriesPerRequest: null }));
  const [producer, consumer, secondConsumer, secondProducer] = connections as [Redis, Redis, Redis, Redis];
  const first = new Queue("ceiling", { connection: producer, prefix });
  const second = new Queue("ceiling-second", { connection: secondProducer, prefix });
  const workers: Worker[] = [];
  const worker = (
    name: string,
    connection: Redis,
    processor: (data: unknown, id?: string) => Promise<void>,
  ) => {
    const created = new Worker(name, (job) => processor(job.data, job.id), {
      connection,
      prefix,
      concurrency,
      autorun: false,
    });
    workers.push(created);
    return created;
  };
  try {
    const addedPerSecond = await addAll(first, jobs, "single");
    const singleStarted = now();
    const singleEnded = await untilCompleted(
      worker("ceiling", consumer, async () => {}),
      jobs,
    );
    await Promise.all(workers.splice(0).map((each) => each.close()));

    await addAll(first, jobs, "chain");
    const chainStarted = now();
    const secondDone = untilCompleted(
      worker("ceiling-second", secondConsumer, async () => {}),
      jobs,
    );
    void untilCompleted(
      worker("ceiling", consumer, async (data, id) => {
        await second.add("noop", data, { jobId: `${id}/next`, ...jobOptions });
      }),
      jobs,
    );
    const chainEnded = await secondDone;
    return {
      jobs,
      concurrency,
      addedPerSecond,
      processedPerSecond: (jobs / (singleEnded - singleStarted)) * 1000,
      twoStagePerSecond: (jobs / (chainEnded - chainStarted)) * 1000,
    };
  } finally {
    await Promise.all(workers.map((each) => each.close()));
    for (const queue of [first, second]) {
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
    }
    for (const connection of connections) connection.disconnect();
  }
}
