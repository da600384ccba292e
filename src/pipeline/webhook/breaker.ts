import type { App, WebhookSettings } from "../../domain/apps/app.js";
import type { AppRepository } from "../../domain/apps/app-repository.js";
import { failuresReason, streakDisables, type WebhookHealth } from "../../domain/apps/webhook-health.js";
import type { Clock } from "../../domain/clock.js";
import type { CustomerDecision } from "../../webhooks/customer-answer.js";
import type { StatusCallbacks } from "../callbacks/status-callbacks.js";

/** Whether a webhook job calls: always while the webhook is on; while it is off, only as this interval's probe. */
export type CallGate = "call" | "probe" | "skip";

/** Whether the webhook is on after a call: when it is off, the call's event takes the fallback. */
export type WebhookState = "on" | "off";

/** Told when a webhook is turned off by its failures, probed, and turned back on by a probe. */
export interface BreakerObserver {
  disabled(): void;
  probed(answered: boolean): void;
}

export interface WebhookBreakerParts {
  health: WebhookHealth;
  apps: Pick<AppRepository, "disableWebhook" | "enableWebhookAfterFailures">;
  callbacks: Pick<StatusCallbacks, "webhookDisabled">;
  clock: Clock;
  /** How often a webhook its failures turned off is called, to learn whether it is back. */
  probeIntervalMs: number;
  observer?: BreakerObserver;
}

/** What the customer's server answered, whatever it said: its endpoint is up. */
function answered(
  decision: CustomerDecision,
): decision is Exclude<CustomerDecision, { kind: "retry" } | { kind: "unreachable" }> {
  return decision.kind === "send" || decision.kind === "drop" || decision.kind === "invalid";
}

/**
 * The circuit breaker of webhook mode (docs/api.md, "A webhook that protects itself"): a run
 * of failed calls, counted across every worker, turns the app's webhook off; its events then
 * take the fallback without a call, but for one probe an interval, whose first answer turns it
 * back on.
 */
export class WebhookBreaker {
  constructor(private readonly parts: WebhookBreakerParts) {}

  async gate(appId: string, webhook: WebhookSettings): Promise<CallGate> {
    if (!webhook.disabled) return "call";
    if (webhook.disabled.by === "operator") return "skip";
    return (await this.parts.health.claimProbe(appId, this.parts.probeIntervalMs)) ? "probe" : "skip";
  }

  /** Counts the call's answer, turning the webhook off or back on when it decides so. */
  async afterCall(
    app: Pick<App, "id" | "statusCallback">,
    webhook: WebhookSettings,
    decision: CustomerDecision,
    gate: Exclude<CallGate, "skip">,
  ): Promise<WebhookState> {
    const { health, apps, clock, observer } = this.parts;
    const at = clock.now();
    if (gate === "probe") {
      observer?.probed(answered(decision));
      if (!answered(decision)) return "off";
      await apps.enableWebhookAfterFailures(app.id, at);
      await health.reset(app.id);
      return "on";
    }
    if (answered(decision)) {
      await health.answered(app.id);
      return "on";
    }
    const streak = await health.failed(app.id, at);
    if (!streakDisables(webhook, streak, at)) return "on";
    const reason = failuresReason(streak, at, decision.error);
    if (await apps.disableWebhook(app.id, { at, reason, by: "failures" })) {
      // The first probe comes an interval after the webhook was turned off, not at once.
      await health.claimProbe(app.id, this.parts.probeIntervalMs);
      observer?.disabled();
      await this.parts.callbacks.webhookDisabled(app, reason, at);
    }
    return "off";
  }
}
