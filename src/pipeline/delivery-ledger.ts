import type { Redis } from "ioredis";

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

/**
 * What each token of an event has become, recorded as each answer arrives, so a job
 * that runs again (crashed worker) sends only to tokens without a result, and a replay
 * only to tokens that have not got the notification. Kept in Redis, shared by every
 * worker process.
 */
export class DeliveryLedger {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(appId: string, eventId: string): string {
    return `${this.prefix}:ledger:${appId}:${eventId}`;
  }

  async results(appId: string, eventId: string, tokens: string[]): Promise<(RecordedResult | null)[]> {
    if (tokens.length === 0) return [];
    const values = await this.redis.hmget(this.key(appId, eventId), ...tokens);
    return values.map((value) => {
      if (!value) return null;
      const [result, run] = value.split("@");
      return { result: result as TokenResult, run: Number(run) };
    });
  }

  async record(
    appId: string,
    eventId: string,
    token: string,
    recorded: RecordedResult,
    keepUntil: Date,
  ): Promise<void> {
    const key = this.key(appId, eventId);
    await this.redis
      .multi()
      .hset(key, token, `${recorded.result}@${recorded.run}`)
      .pexpireat(key, keepUntil.getTime())
      .exec();
  }
}
