import { randomUUID } from "node:crypto";
import type { App } from "../domain/apps/app.js";
import {
  type AudienceFilter,
  type SuppressingToggle,
  suppressingToggles,
  type TokenDirectory,
} from "../domain/audience/audience.js";
import type { Clock } from "../domain/clock.js";
import type {
  PushMessage,
  PushOutcome,
  PushSender,
  PushTarget,
  TokenProvider,
} from "../providers/push-provider.js";
import { selectTargets } from "./stages/targets.js";

export const testNotificationDefaults = {
  title: "Test notification",
  body: "Sent from Pushgate to check this device",
};

/** `skipped`: a dry run reached no provider that can validate without notifying. */
export type TestOutcome = PushOutcome["status"] | "skipped";

export interface TestDeviceAnswer {
  /** The client's `device_id`; null for a device known by its token only. */
  deviceId: string | null;
  provider: TokenProvider;
  token: string;
  outcome: TestOutcome;
  providerStatus: string | null;
  providerError: string | null;
}

export interface TestNotificationResult {
  devices: TestDeviceAnswer[];
  /** The first toggle that would stop a message notification to the user now; null when none would. */
  wouldSuppress: SuppressingToggle | null;
}

export interface TestNotificationRequest {
  title?: string;
  body?: string;
  dryRun?: boolean;
}

export interface TestNotificationParts {
  tokens: Pick<TokenDirectory, "tokensOf" | "removeToken">;
  sender: Pick<PushSender, "send">;
  audience: AudienceFilter;
  clock: Clock;
}

/** Only FCM validates a message without notifying (`validate_only`). */
const canDryRun = (target: PushTarget) => target.provider === "gcm";

/**
 * Sends a test notification at once to every device a message would reach, past the toggles,
 * and tells what each provider answered and which toggle would have stopped a real message.
 * Not retried: the answer is the provider's first word.
 */
export class TestNotifications {
  constructor(private readonly parts: TestNotificationParts) {}

  async send(app: App, userId: string, request: TestNotificationRequest): Promise<TestNotificationResult> {
    const now = this.parts.clock.now();
    const [tokens, wouldSuppress] = await Promise.all([
      this.parts.tokens.tokensOf(app.id, [userId]),
      this.wouldSuppress(app, userId, now),
    ]);
    const targets = selectTargets(tokens, false);
    const dryRun = request.dryRun ?? false;
    const sent = dryRun ? targets.filter(canDryRun) : targets;
    const message: PushMessage = {
      title: request.title ?? testNotificationDefaults.title,
      body: request.body ?? testNotificationDefaults.body,
      data: {},
      collapseId: randomUUID(),
      expiresAt: new Date(now.getTime() + app.notificationTtlSeconds * 1000),
      call: false,
      ...(dryRun && { dryRun }),
    };
    const outcomes = sent.length ? await this.parts.sender.send(app, message, sent) : [];
    const outcomeOf = new Map(sent.map((target, index) => [target, outcomes[index] as PushOutcome]));
    for (const [target, outcome] of outcomeOf) {
      if (outcome.status === "invalid_token") await this.parts.tokens.removeToken(app.id, target.token);
    }
    return {
      devices: targets.map((target) => answerFor(target, outcomeOf.get(target))),
      wouldSuppress,
    };
  }

  /** The real toggles, for a message outside any channel (channel levels do not apply). */
  private async wouldSuppress(app: App, userId: string, at: Date): Promise<SuppressingToggle | null> {
    if (!app.pushEnabled) return "network";
    const decision = await this.parts.audience.filter(
      {
        appId: app.id,
        module: "chat",
        actorRoles: [],
        kind: "message",
        mentionedUserIds: [],
        mentionsEveryone: false,
        quietDelivery: app.quietDelivery,
        at,
      },
      [userId],
    );
    return suppressingToggles.find((toggle) => (decision.suppressedBy[toggle] ?? 0) > 0) ?? null;
  }
}

function answerFor(target: PushTarget, outcome: PushOutcome | undefined): TestDeviceAnswer {
  return {
    deviceId: target.deviceId ?? null,
    provider: target.provider,
    token: target.token,
    outcome: outcome?.status ?? "skipped",
    providerStatus: outcome?.providerStatus ?? null,
    providerError: outcome && "reason" in outcome ? outcome.reason : null,
  };
}
