import { Cluster, type ClusterOptions, Redis, type RedisOptions } from "ioredis";
import type { Settings } from "../config/settings.js";
import type { Logger } from "../observability/logger.js";
import { redisAnswers, startEmbeddedRedis } from "./embedded-redis.js";
import { causeOf, refusalOf } from "./redis-access.js";
import {
  accessOptions,
  clusterAccessOptions,
  describeRedisTarget,
  highAvailabilityTarget,
  type RedisTarget,
  redisTlsOf,
} from "./redis-target.js";

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
  if (!isLocalDefault || (await redisAnswers(url.hostname, 6379))) {
    // A rediss:// URL can name no CA of its own: REDIS_TLS_CA_FILE gives it (settings.ts).
    const tls = settings.REDIS_TLS_CA_FILE === undefined ? {} : { tls: redisTlsOf(settings) };
    return { target: { kind: "server", url: settings.REDIS_URL, ...tls } };
  }
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
  const redis = open(connection, role) as RedisConnection & LastErrors;
  // ioredis reconnects by itself; readiness and 503s report the outage, the log keeps it quiet —
  // but for a refusal (credentials, certificate), which no reconnection cures: said once, loudly.
  redis.on("error", (error: Error) => {
    redis[lastError] = error;
    const refusal = refusalOf(error, connection.target);
    if (refusal === undefined) logger.debug({ err: error, role }, "redis connection error");
    else if (refusal !== redis[lastRefusal]) {
      redis[lastRefusal] = refusal;
      logger.error(
        { role, redis: describeRedisTarget(connection.target) },
        `Redis refuses the gateway: ${refusal}`,
      );
    }
  });
  redis.on("ready", () => {
    redis[lastError] = undefined;
    redis[lastRefusal] = undefined;
  });
  return redis;
}

// On the connection itself, under registered symbols: a module loaded twice still finds them.
const lastError = Symbol.for("pushgate.redis.lastError");
const lastRefusal = Symbol.for("pushgate.redis.lastRefusal");
/** A connection's last error, and last refusal (`refusalOf`), since it was last ready. */
interface LastErrors {
  [lastError]?: Error;
  [lastRefusal]?: string;
}

/**
 * PING, for readiness: when it fails, why — the refusal the connection met since it was last
 * ready (a password it was refused), else its last error.
 */
export async function pingRedis(redis: RedisConnection): Promise<void> {
  try {
    await redis.ping();
  } catch (error) {
    const { [lastError]: last, [lastRefusal]: refusal } = redis as RedisConnection & LastErrors;
    if (refusal) throw new Error(`Redis refuses the gateway: ${refusal}`);
    if (last)
      throw new Error(`${(error as Error).message} (last connection error: ${causeOf(last).message})`);
    throw error;
  }
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
        ...accessOptions(target),
        ...perCommand,
        ...common,
        ...(failsFast ? { enableOfflineQueue: false, retryStrategy: retry } : {}),
      });
    case "sentinel":
      return new Redis({
        sentinels: target.sentinels,
        name: target.name,
        ...accessOptions(target),
        ...perCommand,
        ...common,
        ...(failsFast
          ? { enableOfflineQueue: false, retryStrategy: retry, sentinelRetryStrategy: retry }
          : {}),
      });
    case "cluster": {
      const access = clusterAccessOptions(target);
      const options: ClusterOptions = {
        ...access,
        redisOptions: { ...access.redisOptions, ...perCommand, connectionName: common.connectionName },
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
