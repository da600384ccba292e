import type { RedisConnection } from "../queue/redis.js";
import { redisKeys } from "../queue/redis-keys.js";

/**
 * Browser sessions ended before their cookie lapses (sign-out). The cookies themselves are
 * stateless and sealed; what makes a copied one worthless after sign-out is its id kept here
 * until it would have expired anyway — shared by every gateway process through Redis.
 */
export class BrowserSessionRevocations {
  constructor(
    private readonly redis: RedisConnection,
    private readonly redisPrefix: string,
  ) {}

  async revoke(sessionId: string, expiresAtSeconds: number): Promise<void> {
    const remaining = expiresAtSeconds - Math.floor(Date.now() / 1000);
    if (remaining > 0) await this.redis.set(this.key(sessionId), "1", "EX", remaining);
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    return (await this.redis.exists(this.key(sessionId))) === 1;
  }

  private key(sessionId: string): string {
    return redisKeys(this.redisPrefix).revokedBrowserSession(sessionId);
  }
}
