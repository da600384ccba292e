import type { Redis } from "ioredis";

/** The final answer for one token of one event. */
export type TokenResult = "sent" | "invalid" | "failed" | "expired";

/**
 * What each token of an event has become, recorded as each answer arrives, so a job
 * that runs again (crashed worker, replay) sends only to tokens without a result.
 * Kept in Redis, shared by every worker process.
 */
export class DeliveryLedger {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(appId: string, eventId: string): string {
    return `${this.prefix}:ledger:${appId}:${eventId}`;
  }

  async results(appId: string, eventId: string, tokens: string[]): Promise<(TokenResult | null)[]> {
    if (tokens.length === 0) return [];
    return (await this.redis.hmget(this.key(appId, eventId), ...tokens)) as (TokenResult | null)[];
  }

  async record(
    appId: string,
    eventId: string,
    token: string,
    result: TokenResult,
    keepUntil: Date,
  ): Promise<void> {
    const key = this.key(appId, eventId);
    await this.redis.multi().hset(key, token, result).pexpireat(key, keepUntil.getTime()).exec();
  }
}
