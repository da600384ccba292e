import type { App } from "../../../src/domain/apps/app.js";
import type { RecipientToken, TokenDirectory } from "../../../src/domain/audience/audience.js";
import type {
  OutcomeListener,
  PushMessage,
  PushOutcome,
  PushSender,
  PushTarget,
} from "../../../src/providers/push-provider.js";

/** One Android token per user, `token-<userId>`. */
export class OneTokenPerUser implements TokenDirectory {
  readonly removed: string[] = [];
  /** Users who have no device at all. */
  readonly withoutDevice = new Set<string>();
  /** The locale of a user's token; others have none. */
  readonly locales = new Map<string, string>();

  async tokensOf(_appId: string, userIds: string[]): Promise<RecipientToken[]> {
    return userIds
      .filter((userId) => !this.withoutDevice.has(userId))
      .map((userId) => ({
        userId,
        provider: "gcm",
        token: `token-${userId}`,
        platform: "android",
        voip: false,
        deviceId: `device-${userId}`,
        clientDeviceId: `device-${userId}`,
        locale: this.locales.get(userId) ?? null,
      }));
  }

  async usersWithTokens(_appId: string, userIds: string[]): Promise<string[]> {
    return userIds.filter((userId) => !this.withoutDevice.has(userId));
  }

  async removeToken(_appId: string, token: string): Promise<void> {
    this.removed.push(token);
  }
}

/**
 * A provider that answers `sent` unless a token has answers scripted, taken one per send,
 * and remembers what it was asked to send.
 */
export class ScriptedSender implements Pick<PushSender, "send"> {
  readonly sends: { token: string; message: PushMessage; outcome: PushOutcome }[] = [];
  private readonly scripts = new Map<string, PushOutcome[]>();

  script(token: string, ...outcomes: PushOutcome[]): void {
    this.scripts.set(token, outcomes);
  }

  /** The tokens that got the notification, once per time. */
  delivered(): string[] {
    return this.sends.filter((send) => send.outcome.status === "sent").map((send) => send.token);
  }

  async send(
    _app: App,
    message: PushMessage,
    targets: PushTarget[],
    onOutcome?: OutcomeListener,
  ): Promise<PushOutcome[]> {
    return targets.map((target, index) => {
      const outcome = this.scripts.get(target.token)?.shift() ?? { status: "sent" };
      this.sends.push({ token: target.token, message, outcome });
      onOutcome?.(index, outcome);
      return outcome;
    });
  }
}
