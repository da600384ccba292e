import type { WebhookSlots } from "../pipeline/webhook/customer-call.js";
import type { RedisConnection } from "../queue/redis.js";
import { keyLayoutOf, type RedisKeys, redisKeys } from "../queue/redis-keys.js";
import { type RedisScripts, redisScripts } from "../queue/redis-scripts.js";

/**
 * At most `perApp` webhook calls in flight per app, across every worker process, so
 * one customer's slow or hanging endpoint occupies a bounded share of the workers and
 * never delays other apps' events. A slot held by a worker that died frees itself
 * when its lease runs out.
 *
 * A job that finds its app's slots taken may wait for one this process frees, so that a
 * busy app keeps its slots in use; at most `perApp` jobs of an app wait at once, so a
 * hanging app holds at most twice its slots' worth of workers.
 */
export class AppSlots implements WebhookSlots {
  /** Per app, the wake-ups of this process's jobs waiting for a slot, oldest first. */
  private readonly waiting = new Map<string, (() => void)[]>();
  /** Per app, how many slots this process has freed: a release during a try means try again. */
  private readonly releases = new Map<string, number>();
  private readonly keys: RedisKeys;
  private readonly scripts: RedisScripts;

  constructor(
    private readonly redis: RedisConnection,
    prefix: string,
    private readonly perApp: number,
  ) {
    this.keys = redisKeys(prefix, keyLayoutOf(redis));
    this.scripts = redisScripts(redis);
  }

  /**
   * True when `holder` got (or already had) a slot of the app, leased for `leaseMs`, at once
   * or within `waitMs` as this process frees one; false when none came free.
   */
  async acquire(appId: string, holder: string, leaseMs: number, waitMs = 0): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const releasesBefore = this.releases.get(appId) ?? 0;
      if (await this.tryAcquire(appId, holder, leaseMs)) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      if ((this.releases.get(appId) ?? 0) !== releasesBefore) continue;
      const waiters = this.waiting.get(appId) ?? [];
      if (waiters.length >= this.perApp) return false;
      await this.nextRelease(appId, waiters, left);
    }
  }

  async release(appId: string, holder: string): Promise<void> {
    await this.redis.zrem(this.keys.webhookSlots(appId), holder);
    this.releases.set(appId, (this.releases.get(appId) ?? 0) + 1);
    this.waiting.get(appId)?.shift()?.();
  }

  /** Resolves when this process frees a slot of the app, or after `waitMs`. */
  private nextRelease(appId: string, waiters: (() => void)[], waitMs: number): Promise<void> {
    this.waiting.set(appId, waiters);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(wake), 1);
        if (waiters.length === 0) this.waiting.delete(appId);
        resolve();
      }, waitMs);
      waiters.push(wake);
    });
  }

  private async tryAcquire(appId: string, holder: string, leaseMs: number): Promise<boolean> {
    const now = Date.now();
    const key = this.keys.webhookSlots(appId);
    return (await this.scripts.acquireWebhookSlot(key, now, now + leaseMs, holder, this.perApp)) === 1;
  }
}
