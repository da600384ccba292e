import { Cluster, Redis } from "ioredis";
import type { RedisConnection } from "./redis.js";
import { accessOptions, clusterAccessOptions, type RedisTarget } from "./redis-target.js";

export interface KeyLayout {
  /**
   * On a Redis Cluster: each app's id is a hash tag (`{app}`), so that the keys one script or
   * transaction touches — all of one app — share a slot, while apps spread over the masters.
   * Off on one server, where the keys keep the names they always had.
   */
  hashTags: boolean;
}

/** The layout for keys used on `redis`: hash tags on a cluster only. */
export function keyLayoutOf(redis: RedisConnection): KeyLayout {
  return { hashTags: redis.isCluster };
}

/**
 * Every Redis key the gateway names itself, all under `REDIS_PREFIX`, so that several gateways
 * (or tests) share one Redis. BullMQ names its queues' keys itself, under the same prefix
 * (`queuePrefix`).
 */
export function redisKeys(prefix: string, layout: KeyLayout = { hashTags: false }) {
  const app = (appId: string) => (layout.hashTags ? `{${appId}}` : appId);
  return {
    /** Hash per event, token → `result@run`: the delivery ledger. */
    deliveryLedger: (appId: string, eventId: string) => `${prefix}:ledger:${app(appId)}:${eventId}`,
    /** Sorted set per app, holder (a webhook job) → end of its lease in ms: the app's webhook slots. */
    webhookSlots: (appId: string) => `${prefix}:webhook-slots:${app(appId)}`,
    /** Hash per app, `count` and `since` (ms): its webhook's current run of failed calls; expires. */
    webhookFailures: (appId: string) => `${prefix}:webhook-failures:${app(appId)}`,
    /** String per app while its webhook is off: set by the worker whose call is this interval's probe. */
    webhookProbe: (appId: string) => `${prefix}:webhook-probe:${app(appId)}`,
    /** rate-limiter-flexible's prefix for the counters of one limit. */
    rateLimit: (limit: string) => `${prefix}:rate-limit:${limit}`,
    /** A browser session (console, queue dashboard) signed out before its cookie lapses; expires with it. */
    revokedBrowserSession: (sessionId: string) => `${prefix}:revoked-browser-session:${sessionId}`,
    /** String per user: their unread count, the app icon's badge. */
    badgeCount: (appId: string, userId: string) => `${prefix}:badge:${app(appId)}:${userId}`,
    /** Set per run of an event: the users whose badge count it has raised; expires. */
    badgeCounted: (appId: string, eventId: string, run: number) =>
      `${prefix}:badge-counted:${app(appId)}:${eventId}:${run}`,
    /** String per user and channel: the user's current burst in the channel; expires when its window ends. */
    burst: (appId: string, userId: string, channelId: string) =>
      `${prefix}:burst:${app(appId)}:${JSON.stringify([userId, channelId])}`,
    /** Set per run of an event: the users whose burst it has counted; expires. */
    burstCounted: (appId: string, eventId: string, run: number) =>
      `${prefix}:burst-counted:${app(appId)}:${eventId}:${run}`,
    /** Pub/sub channel: the id of an app just changed, so each process drops its cached copy. */
    appChanges: `${prefix}:app-changes`,
    /** SCAN pattern matching every key above and the queues'. */
    everything: `${prefix}:*`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;

/**
 * Removes every key under `prefix` (a demo's or a test's own `REDIS_PREFIX`), so nothing
 * accumulates: on a cluster, on every master, one key at a time, since keys of different
 * slots cannot go in one command.
 */
export async function deleteKeysUnder(redis: RedisTarget | string, prefix: string): Promise<void> {
  const target: RedisTarget = typeof redis === "string" ? { kind: "server", url: redis } : redis;
  const connection = connectForCleanup(target);
  try {
    await connection.connect();
    const servers = connection instanceof Cluster ? connection.nodes("master") : [connection];
    for (const server of servers) {
      const stream = server.scanStream({ match: redisKeys(prefix).everything, count: 500 });
      for await (const keys of stream as AsyncIterable<string[]>) {
        if (keys.length === 0) continue;
        if (connection.isCluster) await Promise.all(keys.map((key) => server.unlink(key)));
        else await server.unlink(...keys);
      }
    }
  } finally {
    connection.disconnect();
  }
}

function connectForCleanup(target: RedisTarget): RedisConnection {
  switch (target.kind) {
    case "server":
      return new Redis(target.url, { ...accessOptions(target), lazyConnect: true });
    case "sentinel":
      return new Redis({
        sentinels: target.sentinels,
        name: target.name,
        ...accessOptions(target),
        lazyConnect: true,
      });
    case "cluster":
      return new Cluster(target.nodes, { ...clusterAccessOptions(target), lazyConnect: true });
  }
}
