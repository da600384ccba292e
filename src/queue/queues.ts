import { Queue, type QueueOptions } from "bullmq";
import type { Logger } from "../observability/logger.js";
import type { RedisConnection } from "./redis.js";

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

/**
 * BullMQ's prefix for a queue. On a cluster BullMQ's scripts need every key of a queue in one
 * slot: the queue's name as a hash tag does that, and lets the queues spread over the masters.
 * On one server it stays `REDIS_PREFIX`, where queued jobs of earlier versions are.
 */
export function queuePrefix(prefix: string, name: QueueName, connection: RedisConnection): string {
  return connection.isCluster ? clusterQueuePrefix(prefix, name) : prefix;
}

/** BullMQ's prefix for a queue on a cluster: `queuePrefix` there, with no connection at hand. */
export function clusterQueuePrefix(prefix: string, name: QueueName): string {
  return `${prefix}:{${name}}`;
}

export function createQueue<Data = unknown>(
  name: QueueName,
  connection: RedisConnection,
  prefix: string,
  logger: Logger,
  options: Partial<QueueOptions> = {},
): Queue<Data> {
  const queue = new Queue<Data>(name, {
    connection,
    prefix: queuePrefix(prefix, name, connection),
    // BullMQ asks Redis its version (INFO) once, as the queue is made, and keeps a failure for
    // good: on a connection that fails fast (the api's), one timeout or a Cluster node dead at
    // that moment would refuse every job for the life of the process. The workers still check.
    skipVersionCheck: true,
    ...options,
  });
  // Connection trouble surfaces as 503s and readiness; the log keeps a trace without a stack per retry.
  queue.on("error", (error) => logger.debug({ err: error, queue: name }, "queue connection error"));
  return queue;
}
