import type { Redis } from "ioredis";
import { type RedisKeys, redisKeys } from "../queue/redis-keys.js";

/** The final answer for one token of one event. */
export type TokenResult = "sent" | "invalid" | "failed" | "expired";

export interface RecordedResult {
  result: TokenResult;
  /** The run of the event that got it. */
  run: number;
}

/** Settled for good: the device has it, or the token is dead. A failure or an expiry settles one run only. */
export function settlesEveryRun(result: TokenResult): boolean {
  return result === "sent" || result === "invalid";
}

interface PendingRecord {
  key: string;
  token: string;
  value: string;
  keepUntilMs: number;
  settled: { resolve: () => void; reject: (error: unknown) => void };
}

/**
 * What each token of an event has become, recorded as each answer arrives, so a job
 * that runs again (crashed worker) sends only to tokens without a result, and a replay
 * only to tokens that have not got the notification. Kept in Redis, shared by every
 * worker process.
 *
 * Answers arriving in the same turn of the event loop are written together, in one
 * transaction: a fan-out's answers come in bursts, and one round trip per token was a
 * tenth of a worker's time.
 */
export class DeliveryLedger {
  private pending: PendingRecord[] = [];
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = redisKeys(prefix);
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

  /** Resolves once the result is in Redis. */
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
