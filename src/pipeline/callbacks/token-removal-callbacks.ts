import type { TokenDirectory, TokenOwner, TokenOwners } from "../../domain/audience/audience.js";
import type { StatusCallbacks, TokenRemovalReason } from "./status-callbacks.js";

/**
 * The token directory of a stage that removes dead tokens, telling the app which device lost
 * which token (`device.token_removed`) when it asked to be told. The owner is read before the
 * removal, which may delete the device; the callback is only queued, so removal never waits
 * on the app's receiver.
 */
export class TokenRemovalCallbacks implements Pick<TokenDirectory, "removeToken"> {
  constructor(
    private readonly tokens: Pick<TokenDirectory, "removeToken"> & TokenOwners,
    private readonly callbacks: StatusCallbacks,
    private readonly reason: TokenRemovalReason,
  ) {}

  async removeToken(appId: string, token: string): Promise<void> {
    const app = await this.callbacks.appWanting(appId, "device.token_removed");
    const owner: TokenOwner | null = app && (await this.tokens.ownerOf(appId, token));
    await this.tokens.removeToken(appId, token);
    if (!app || !owner) return;
    await this.callbacks.tokenRemoved(app, {
      user_id: owner.userId,
      device_id: owner.deviceId,
      provider: owner.provider,
      token,
      reason: this.reason,
    });
  }
}

/** A whole token directory whose removals report as `TokenRemovalCallbacks` does. */
export function reportingRemovals(
  tokens: TokenDirectory & TokenOwners,
  callbacks: StatusCallbacks,
  reason: TokenRemovalReason,
): TokenDirectory {
  const removals = new TokenRemovalCallbacks(tokens, callbacks, reason);
  return {
    tokensOf: (appId, userIds) => tokens.tokensOf(appId, userIds),
    usersWithTokens: (appId, userIds) => tokens.usersWithTokens(appId, userIds),
    removeToken: (appId, token) => removals.removeToken(appId, token),
  };
}
