import { type BadgeCounter, maxBadgeCount } from "../domain/badges/badge-counter.js";
import type { RedisConnection } from "./redis.js";
import { keyLayoutOf, type RedisKeys, redisKeys } from "./redis-keys.js";
import { type RedisScripts, redisScripts } from "./redis-scripts.js";

/** How long a run remembers whom it counted: longer than any notification may wait for a retry. */
const countedKeepMs = 2 * 24 * 3_600_000;

/** The unread counts in Redis, one string per user; raised atomically by a script. */
export class RedisBadgeCounter implements BadgeCounter {
  private readonly keys: RedisKeys;
  private readonly scripts: RedisScripts;

  constructor(
    private readonly redis: RedisConnection,
    prefix: string,
  ) {
    this.keys = redisKeys(prefix, keyLayoutOf(redis));
    this.scripts = redisScripts(redis);
  }

  async countAlert(
    appId: string,
    eventId: string,
    run: number,
    userIds: string[],
  ): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const counts = await this.scripts.countAlert(
      this.keys.badgeCounted(appId, eventId, run),
      countedKeepMs,
      maxBadgeCount,
      userIds.map((userId) => ({ userId, countKey: this.keys.badgeCount(appId, userId) })),
    );
    return new Map(userIds.map((userId, index) => [userId, counts[index] ?? 0]));
  }

  async get(appId: string, userId: string): Promise<number> {
    return Number((await this.redis.get(this.keys.badgeCount(appId, userId))) ?? 0);
  }

  async set(appId: string, userId: string, count: number): Promise<void> {
    await this.redis.set(this.keys.badgeCount(appId, userId), count);
  }

  async setForRun(appId: string, eventId: string, run: number, counts: Map<string, number>): Promise<void> {
    if (counts.size === 0) return;
    const counted = this.keys.badgeCounted(appId, eventId, run);
    const replies = await this.redis
      .multi()
      .mset(...[...counts].flatMap(([userId, count]) => [this.keys.badgeCount(appId, userId), count]))
      .sadd(counted, ...counts.keys())
      .pexpire(counted, countedKeepMs)
      .exec();
    const failure = replies ? replies.find(([error]) => error)?.[0] : new Error("badge transaction aborted");
    if (failure) throw failure;
  }
}
