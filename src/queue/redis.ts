import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "../observability/logger.js";
import { type EmbeddedRedis, redisAnswers, startEmbeddedRedis } from "./embedded-redis.js";

const localDefault = new URL("redis://127.0.0.1:6379");
/** Longest pause between reconnection attempts of a connection that answers requests. */
const producerReconnectMaxMs = 200;

/**
 * The Redis the gateway uses: `REDIS_URL`, or, when that is the local default and
 * nothing answers there, a private server, so a gateway on one machine needs no Redis set up.
 */
export async function resolveRedis(
  redisUrl: string,
  dataDir: string,
  logger: Logger,
): Promise<EmbeddedRedis> {
  const url = new URL(redisUrl);
  const isLocalDefault = url.hostname === localDefault.hostname && (url.port || "6379") === localDefault.port;
  if (!isLocalDefault || (await redisAnswers(url.hostname, 6379))) return { url: redisUrl };
  return startEmbeddedRedis(dataDir, logger);
}

export type RedisRole = "producer" | "worker" | "general";

export interface RedisConnectionSettings {
  url: string;
  /** How long a producer's or a general connection's command may go unanswered (`REDIS_COMMAND_TIMEOUT_MS`). */
  commandTimeoutMs: number;
}

/**
 * Producers (HTTP handlers) fail fast so a request can answer 503 while Redis is down, and give
 * up on a command a stalled Redis leaves unanswered; general connections (metrics, dashboard)
 * give up too. Workers wait and reconnect, as BullMQ requires: it copies their options to its
 * blocking connections, whose commands wait for jobs as long as they must.
 */
export function connectRedis(connection: RedisConnectionSettings, role: RedisRole, logger: Logger): Redis {
  const options: RedisOptions =
    role === "worker"
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : {
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          connectTimeout: 2000,
          commandTimeout: connection.commandTimeoutMs,
          // ioredis waits up to 2 s between attempts; requests answer 503 until it reconnects.
          retryStrategy: (attempt: number) => Math.min(attempt * 50, producerReconnectMaxMs),
        };
  const redis = new Redis(connection.url, {
    ...options,
    lazyConnect: false,
    connectionName: `pushgate-${role}`,
  });
  // ioredis reconnects by itself; readiness and 503s report the outage, the log keeps it quiet.
  redis.on("error", (error) => logger.debug({ err: error, role }, "redis connection error"));
  return redis;
}

/** Waits until the connection is ready, so the first requests after a start do not fail needlessly. */
export async function whenReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === "ready") return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      redis.off("ready", onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once("ready", onReady);
  });
}
