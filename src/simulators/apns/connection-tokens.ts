import { maxTokenAgeSeconds } from "./provider-tokens.js";

/**
 * Apple: "APNs reports an error if you recreate your tokens more than once every 20 minutes" on
 * a connection. A token issued less than 20 minutes after the one a connection uses is refused;
 * replacing a token that has expired is always allowed (that is what ExpiredProviderToken asks).
 */
const minTokenIntervalSeconds = 20 * 60;

/** The provider token each HTTP/2 connection uses. */
export class ConnectionTokens {
  private readonly current = new WeakMap<object, { jwt: string; issuedAt: number }>();

  /** Whether `connection` may use `jwt`, issued at `issuedAt` (s), at `now` (ms); if so it becomes the connection's token. */
  take(connection: object, jwt: string, issuedAt: number, now: number): boolean {
    const current = this.current.get(connection);
    if (current?.jwt === jwt) return true;
    if (
      current &&
      now / 1000 - current.issuedAt <= maxTokenAgeSeconds &&
      issuedAt - current.issuedAt < minTokenIntervalSeconds
    ) {
      return false;
    }
    this.current.set(connection, { jwt, issuedAt });
    return true;
  }
}
