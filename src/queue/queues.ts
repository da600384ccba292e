import { Queue, type QueueOptions } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../observability/logger.js";

/** Every queue the gateway uses; all keys live under `REDIS_PREFIX`. */
export const queueNames = {
  events: "events",
  deliveries: "deliveries",
  webhooks: "webhooks",
  receipts: "receipts",
  callbacks: "callbacks",
  maintenance: "maintenance",
} as const;

export type QueueName = (typeof queueNames)[keyof typeof queueNames];

export function createQueue<Data = unknown>(
  name: QueueName,
  connection: Redis,
  prefix: string,
  logger: Logger,
  options: Partial<QueueOptions> = {},
): Queue<Data> {
  const queue = new Queue<Data>(name, { connection, prefix, ...options });
  // Connection trouble surfaces as 503s and readiness; the log keeps a trace without a stack per retry.
  queue.on("error", (error) => logger.debug({ err: error, queue: name }, "queue connection error"));
  return queue;
}
