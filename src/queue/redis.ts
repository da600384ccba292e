import { Cluster, type ClusterOptions, Redis, type RedisOptions } from "ioredis";
import type { Settings } from "../config/settings.js";
import type { Logger } from "../observability/logger.js";
import { redisAnswers, startEmbeddedRedis } from "./embedded-redis.js";
import { highAvailabilityTarget, type RedisTarget } from "./redis-target.js";

/** A connection to the gateway's Redis, whichever its topology: what every Redis user takes. */
export type RedisConnection = Redis | Cluster;

const localDefault = new URL("redis://127.0.0.1:6379");
/** Longest pause between reconnection attempts of a connection that answers requests. */
const producerReconnectMaxMs = 200;

export interface ResolvedRedis {
  target: RedisTarget;
  /** Stops the private server this gateway started; undefined otherwise. */
  stop?: () => Promise<void>;
}

/**
 * The Redis the gateway uses: the Sentinels' master or the Cluster when those are set, else
 * `REDIS_URL`, or, when that is the local default and nothing answers there, a private server,
 * so a gateway on one machine needs no Redis set up.
 */
export async function resolveRedis(settings: Settings, logger: Logger): Promise<ResolvedRedis> {
  const highlyAvailable = highAvailabilityTarget(settings);
  if (highlyAvailable) return { target: highlyAvailable };
  const url = new URL(settings.REDIS_URL);
  const isLocalDefault = url.hostname === localDefault.hostname && (url.port || "6379") === localDefault.port;
  if (!isLocalDefault || (await redisAnswers(url.hostname, 6379)))
    return { target: { kind: "server", url: settings.REDIS_URL } };
  const embedded = await startEmbeddedRedis(settings.DATA_DIR, logger);
  return { target: { kind: "server", url: embedded.url }, stop: embedded.stop };
}

export type RedisRole = "producer" | "worker" | "general";

export interface RedisConnectionSettings {
  target: RedisTarget;
  /** How long a producer's or a general connection's command may go unanswered (`REDIS_COMMAND_TIMEOUT_MS`). */
  commandTimeoutMs: number;
}

/**
 * Producers (HTTP handlers) fail fast so a request can answer 503 while Redis is down, and give
 * up on a command a stalled Redis leaves unanswered; general connections (metrics, dashboard)
 * give up too. Workers wait and reconnect, as BullMQ requires: it copies their options to its
 * blocking connections, whose commands wait for jobs as long as they must.
 */
export function connectRedis(
  connection: RedisConnectionSettings,
  role: RedisRole,
  logger: Logger,
): RedisConnection {
  const redis = open(connection, role);
  // ioredis reconnects by itself; readiness and 503s report the outage, the log keeps it quiet.
  redis.on("error", (error) => logger.debug({ err: error, role }, "redis connection error"));
  return redis;
}

function open({ target, commandTimeoutMs }: RedisConnectionSettings, role: RedisRole): RedisConnection {
  const failsFast = role !== "worker";
  const perCommand: RedisOptions = failsFast
    ? { maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: commandTimeoutMs }
    : { maxRetriesPerRequest: null };
  // ioredis waits up to 2 s between attempts; requests answer 503 until it reconnects.
  const retry = failsFast ? (attempt: number) => Math.min(attempt * 50, producerReconnectMaxMs) : undefined;
  const common = { enableReadyCheck: true, connectionName: `pushgate-${role}` };
  switch (target.kind) {
    case "server":
      return new Redis(target.url, {
        ...perCommand,
        ...common,
        ...(failsFast ? { enableOfflineQueue: false, retryStrategy: retry } : {}),
      });
    case "sentinel":
      return new Redis({
        sentinels: target.sentinels,
        name: target.name,
        ...perCommand,
        ...common,
        ...(failsFast
          ? { enableOfflineQueue: false, retryStrategy: retry, sentinelRetryStrategy: retry }
          : {}),
      });
    case "cluster": {
      const options: ClusterOptions = {
        redisOptions: { ...perCommand, connectionName: common.connectionName },
        enableReadyCheck: true,
        ...(failsFast ? { enableOfflineQueue: false, clusterRetryStrategy: retry } : {}),
      };
      return new Cluster(target.nodes, options);
    }
  }
}

/** Waits until the connection is ready, so the first requests after a start do not fail needlessly. */
export async function whenReady(redis: RedisConnection, timeoutMs: number): Promise<boolean> {
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
