import { Queue, type QueueOptions } from "bullmq";
import type { Redis } from "ioredis";

/** Every queue the gateway uses; all keys live under `REDIS_PREFIX`. */
export const queueNames = {
  maintenance: "maintenance",
} as const;

export type QueueName = (typeof queueNames)[keyof typeof queueNames];

export function createQueue<Data = unknown>(
  name: QueueName,
  connection: Redis,
  prefix: string,
  options: Partial<QueueOptions> = {},
): Queue<Data> {
  return new Queue<Data>(name, { connection, prefix, ...options });
}
