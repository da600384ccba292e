import type { BurstCounter } from "../domain/bursts/burst-counter.js";
import type { RedisConnection } from "./redis.js";
import { keyLayoutOf, type RedisKeys, redisKeys } from "./redis-keys.js";
import { type RedisScripts, redisScripts } from "./redis-scripts.js";

/** How long a run remembers whom it counted: longer than any notification may wait for a retry. */
const countedKeepMs = 2 * 24 * 3_600_000;

/** The bursts in Redis, one expiring counter per user and channel; raised atomically by a script. */
export class RedisBurstCounter implements BurstCounter {
  private readonly keys: RedisKeys;
  private readonly scripts: RedisScripts;

  constructor(redis: RedisConnection, prefix: string) {
    this.keys = redisKeys(prefix, keyLayoutOf(redis));
    this.scripts = redisScripts(redis);
  }

  async count(
    appId: string,
    eventId: string,
    run: number,
    burst: { channelId: string; windowMs: number },
    userIds: string[],
  ): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const counts = await this.scripts.countBurst(
      this.keys.burstCounted(appId, eventId, run),
      countedKeepMs,
      burst.windowMs,
      userIds.map((userId) => ({ userId, burstKey: this.keys.burst(appId, userId, burst.channelId) })),
    );
    return new Map(userIds.map((userId, index) => [userId, counts[index] ?? 1]));
  }
}
