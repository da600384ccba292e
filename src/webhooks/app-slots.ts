import type { Redis } from "ioredis";

/**
 * At most `perApp` webhook calls in flight per app, across every worker process, so
 * one customer's slow or hanging endpoint occupies a bounded share of the workers and
 * never delays other apps' events. A slot held by a worker that died frees itself
 * when its lease runs out.
 */
export class AppSlots {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly perApp: number,
  ) {
    redis.defineCommand("pushgateAcquireSlot", {
      numberOfKeys: 1,
      lua: `
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        if redis.call('ZSCORE', KEYS[1], ARGV[3]) then return 1 end
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
        redis.call('PEXPIREAT', KEYS[1], ARGV[2])
        return 1`,
    });
  }

  private key(appId: string): string {
    return `${this.prefix}:webhook-slots:${appId}`;
  }

  /** True when `holder` got (or already had) a slot of the app, leased for `leaseMs`. */
  async acquire(appId: string, holder: string, leaseMs: number): Promise<boolean> {
    const now = Date.now();
    const command = (this.redis as unknown as Record<string, (...args: unknown[]) => Promise<number>>)
      .pushgateAcquireSlot as (...args: unknown[]) => Promise<number>;
    return (await command.call(this.redis, this.key(appId), now, now + leaseMs, holder, this.perApp)) === 1;
  }

  async release(appId: string, holder: string): Promise<void> {
    await this.redis.zrem(this.key(appId), holder);
  }
}
