import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { queueNames } from "../../src/queue/queues.js";
import { waitUntil } from "./child-exit.js";

const busyStates = ["waiting", "active", "delayed", "prioritized", "waiting-children"] as const;

/** Reads the gateway's queues from the outside, to know when the pipeline has nothing left to do. */
export class QueueWatch {
  private readonly queues: Queue[];

  private constructor(
    private readonly connection: Redis,
    prefix: string,
  ) {
    this.queues = [queueNames.events, queueNames.deliveries, queueNames.webhooks].map((name) => {
      const queue = new Queue(name, { connection, prefix });
      // BullMQ prints connection errors without a listener; the Redis drill causes them on purpose.
      queue.on("error", () => {});
      return queue;
    });
  }

  static open(redisUrl: string, prefix: string): QueueWatch {
    const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    connection.on("error", () => {});
    return new QueueWatch(connection, prefix);
  }

  /** Jobs not finished yet, over the pipeline's queues. */
  async unfinished(): Promise<number> {
    const counts = await Promise.all(this.queues.map((queue) => queue.getJobCounts(...busyStates)));
    return counts.reduce((sum, each) => sum + Object.values(each).reduce((a, b) => a + b, 0), 0);
  }

  /** Webhook jobs waiting for a worker or for their time (retries): what grows when calls pile up. */
  async webhookBacklog(): Promise<number> {
    const webhooks = this.queues.find((queue) => queue.name === queueNames.webhooks) as Queue;
    const counts = await webhooks.getJobCounts("waiting", "delayed", "prioritized");
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  async waitForIdle(timeoutMs: number): Promise<void> {
    await waitUntil(
      async () => (await this.unfinished()) === 0,
      "the pipeline's queues empty",
      timeoutMs,
      100,
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close()));
    this.connection.disconnect();
  }
}
