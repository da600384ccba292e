import { Redis } from "ioredis";

/**
 * Every Redis key the gateway names itself, all under `REDIS_PREFIX`, so that several gateways
 * (or tests) share one Redis. BullMQ names its queues' keys itself, under the same prefix.
 */
export function redisKeys(prefix: string) {
  return {
    /** Hash per event, token → `result@run`: the delivery ledger. */
    deliveryLedger: (appId: string, eventId: string) => `${prefix}:ledger:${appId}:${eventId}`,
    /** Sorted set per app, holder (a webhook job) → end of its lease in ms: the app's webhook slots. */
    webhookSlots: (appId: string) => `${prefix}:webhook-slots:${appId}`,
    /** Hash per app, `count` and `since` (ms): its webhook's current run of failed calls; expires. */
    webhookFailures: (appId: string) => `${prefix}:webhook-failures:${appId}`,
    /** String per app while its webhook is off: set by the worker whose call is this interval's probe. */
    webhookProbe: (appId: string) => `${prefix}:webhook-probe:${appId}`,
    /** rate-limiter-flexible's prefix for the counters of one limit. */
    rateLimit: (limit: string) => `${prefix}:rate-limit:${limit}`,
    /** A browser session (console, queue dashboard) signed out before its cookie lapses; expires with it. */
    revokedBrowserSession: (sessionId: string) => `${prefix}:revoked-browser-session:${sessionId}`,
    /** String per user: their unread count, the app icon's badge. */
    badgeCount: (appId: string, userId: string) => `${prefix}:badge:${appId}:${userId}`,
    /** Set per run of an event: the users whose badge count it has raised; expires. */
    badgeCounted: (appId: string, eventId: string, run: number) =>
      `${prefix}:badge-counted:${appId}:${eventId}:${run}`,
    /** String per user and channel: the user's current burst in the channel; expires when its window ends. */
    burst: (appId: string, userId: string, channelId: string) =>
      `${prefix}:burst:${appId}:${JSON.stringify([userId, channelId])}`,
    /** Set per run of an event: the users whose burst it has counted; expires. */
    burstCounted: (appId: string, eventId: string, run: number) =>
      `${prefix}:burst-counted:${appId}:${eventId}:${run}`,
    /** Pub/sub channel: the id of an app just changed, so each process drops its cached copy. */
    appChanges: `${prefix}:app-changes`,
    /** SCAN pattern matching every key above and the queues'. */
    everything: `${prefix}:*`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;

/** Removes every key under `prefix` (a demo's or a test's own `REDIS_PREFIX`), so nothing accumulates. */
export async function deleteKeysUnder(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true });
  try {
    await redis.connect();
    const stream = redis.scanStream({ match: redisKeys(prefix).everything, count: 500 });
    for await (const keys of stream) {
      if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
}
