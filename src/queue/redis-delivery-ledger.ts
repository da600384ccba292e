import type { DeliveryLedger, RecordedResult, TokenResult } from "../pipeline/dispatch/delivery-ledger.js";
import type { RedisConnection } from "./redis.js";
import { keyLayoutOf, type RedisKeys, redisKeys } from "./redis-keys.js";

interface PendingRecord {
  appId: string;
  key: string;
  token: string;
  value: string;
  keepUntilMs: number;
  settled: { resolve: () => void; reject: (error: unknown) => void };
}

/**
 * The delivery ledger in Redis, one hash per event, so every worker process sees each token's
 * result as soon as it is written.
 *
 * Answers arriving in the same turn of the event loop are written together, in one
 * transaction per app: a fan-out's answers come in bursts, and one round trip per token was a
 * tenth of a worker's time.
 */
export class RedisDeliveryLedger implements DeliveryLedger {
  private pending: PendingRecord[] = [];
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: RedisConnection,
    prefix: string,
  ) {
    this.keys = redisKeys(prefix, keyLayoutOf(redis));
  }

  async results(appId: string, eventId: string, tokens: string[]): Promise<(RecordedResult | null)[]> {
    if (tokens.length === 0) return [];
    const values = await this.redis.hmget(this.keys.deliveryLedger(appId, eventId), ...tokens);
    return values.map((value) => {
      if (!value) return null;
      const [result, run] = value.split("@");
      return { result: result as TokenResult, run: Number(run) };
    });
  }

  record(
    appId: string,
    eventId: string,
    token: string,
    recorded: RecordedResult,
    keepUntil: Date,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => this.flush());
      this.pending.push({
        appId,
        key: this.keys.deliveryLedger(appId, eventId),
        token,
        value: `${recorded.result}@${recorded.run}`,
        keepUntilMs: keepUntil.getTime(),
        settled: { resolve, reject },
      });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (!this.redis.isCluster) return this.write(batch);
    const byApp = new Map<string, PendingRecord[]>();
    for (const entry of batch) {
      const ofApp = byApp.get(entry.appId);
      if (ofApp) ofApp.push(entry);
      else byApp.set(entry.appId, [entry]);
    }
    await Promise.all([...byApp.values()].map((entries) => this.write(entries)));
  }

  /** Records in one transaction: on a cluster, one app's only, whose keys alone share a slot. */
  private async write(batch: PendingRecord[]): Promise<void> {
    const byKey = new Map<string, { fields: string[]; keepUntilMs: number }>();
    for (const entry of batch) {
      const ofKey = byKey.get(entry.key) ?? { fields: [], keepUntilMs: 0 };
      ofKey.fields.push(entry.token, entry.value);
      ofKey.keepUntilMs = Math.max(ofKey.keepUntilMs, entry.keepUntilMs);
      byKey.set(entry.key, ofKey);
    }
    const transaction = this.redis.multi();
    for (const [key, { fields, keepUntilMs }] of byKey) {
      transaction.hset(key, ...fields).pexpireat(key, keepUntilMs);
    }
    try {
      const replies = await transaction.exec();
      const failure = replies
        ? replies.find(([error]) => error)?.[0]
        : new Error("ledger transaction aborted");
      if (failure) throw failure;
      for (const entry of batch) entry.settled.resolve();
    } catch (error) {
      for (const entry of batch) entry.settled.reject(error);
    }
  }
}
