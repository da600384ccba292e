import type { FailureStreak, WebhookHealth } from "../domain/apps/webhook-health.js";
import type { RedisConnection } from "./redis.js";
import { keyLayoutOf, type RedisKeys, redisKeys } from "./redis-keys.js";
import { type RedisScripts, redisScripts } from "./redis-scripts.js";

/**
 * How long a run of failures is kept after its last failure: past the longest span an app may
 * set (a week), so that a slow trickle of failures still adds up.
 */
const streakKeepMs = 8 * 24 * 3_600_000;

/** The webhook health of every app in Redis: a hash per app for its run of failures, a key per probe interval. */
export class RedisWebhookHealth implements WebhookHealth {
  private readonly keys: RedisKeys;
  private readonly scripts: RedisScripts;

  constructor(
    private readonly redis: RedisConnection,
    prefix: string,
  ) {
    this.keys = redisKeys(prefix, keyLayoutOf(redis));
    this.scripts = redisScripts(redis);
  }

  async failed(appId: string, at: Date): Promise<FailureStreak> {
    const [count, sinceMs] = await this.scripts.countWebhookFailure(
      this.keys.webhookFailures(appId),
      at.getTime(),
      streakKeepMs,
    );
    return { count, since: new Date(sinceMs) };
  }

  async answered(appId: string): Promise<void> {
    await this.redis.unlink(this.keys.webhookFailures(appId));
  }

  async reset(appId: string): Promise<void> {
    await this.redis.unlink(this.keys.webhookFailures(appId), this.keys.webhookProbe(appId));
  }

  async claimProbe(appId: string, intervalMs: number): Promise<boolean> {
    return (await this.redis.set(this.keys.webhookProbe(appId), "1", "PX", intervalMs, "NX")) === "OK";
  }
}
