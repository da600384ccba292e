import type { Logger } from "../observability/logger.js";
import type { AppChangeFeed } from "../storage/per-app-cache.js";
import type { RedisConnection } from "./redis.js";
import { whenReady } from "./redis.js";

/**
 * App changes over Redis pub/sub, on the channel `channel` (under `REDIS_PREFIX`). A subscriber
 * hears nothing while its connection is down, so every (re)connection counts as `everything`.
 */
export class RedisAppChangeFeed implements AppChangeFeed {
  private readonly listeners: ((change: { appId: string } | "everything") => void)[] = [];

  constructor(
    private readonly publisher: RedisConnection,
    private readonly subscriber: RedisConnection,
    private readonly channel: string,
    private readonly logger: Logger,
  ) {
    subscriber.on("message", (from: string, appId: string) => {
      if (from === channel) this.emit({ appId });
    });
    subscriber.on("ready", () => this.emit("everything"));
  }

  /**
   * Subscribes, waiting for the connection up to `readyTimeoutMs`; past that the subscription
   * waits in the connection's queue, and what is cached meanwhile is dropped when it connects.
   */
  async start(readyTimeoutMs: number): Promise<void> {
    const subscribed = this.subscriber.subscribe(this.channel);
    if (await whenReady(this.subscriber, readyTimeoutMs)) await subscribed;
    else
      subscribed.catch((error: unknown) => this.logger.warn({ err: error }, "app changes: not subscribed"));
  }

  /** A change is already in the database: when Redis cannot pass it on, the other caches expire it. */
  async announce(appId: string): Promise<void> {
    await this.publisher.publish(this.channel, appId).catch((error: unknown) => {
      this.logger.warn(
        { err: error, appId },
        "app changes: not announced, other processes keep the app until it ages out",
      );
    });
  }

  onChange(listener: (change: { appId: string } | "everything") => void): void {
    this.listeners.push(listener);
  }

  private emit(change: { appId: string } | "everything"): void {
    for (const listener of this.listeners) listener(change);
  }
}
