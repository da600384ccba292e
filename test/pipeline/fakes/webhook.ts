import type { App, WebhookDisabled } from "../../../src/domain/apps/app.js";
import type { WebhookBreakerParts } from "../../../src/pipeline/webhook/breaker.js";
import type { WebhookSlots } from "../../../src/pipeline/webhook/customer-call.js";
import type { CustomerDecision } from "../../../src/webhooks/customer-answer.js";
import type { WebhookAttempt, WebhookCall } from "../../../src/webhooks/webhook-client.js";

/** Slots that are always free; remembers who holds one. */
export class FreeSlots implements WebhookSlots {
  readonly held = new Set<string>();

  async acquire(_appId: string, holder: string): Promise<boolean> {
    this.held.add(holder);
    return true;
  }
  async release(_appId: string, holder: string): Promise<void> {
    this.held.delete(holder);
  }
}

/** A customer's server answering each call with the next decision given (the last one from then on). */
export class AnsweringCustomer {
  readonly calls: WebhookCall[] = [];

  constructor(private readonly decisions: CustomerDecision[]) {}

  async call(call: WebhookCall): Promise<WebhookAttempt> {
    this.calls.push(call);
    const decision = (
      this.decisions.length > 1 ? this.decisions.shift() : this.decisions[0]
    ) as CustomerDecision;
    const error = "error" in decision ? decision.error : null;
    return { at: new Date(), statusCode: error ? 503 : 200, durationMs: 1, error, response: null, decision };
  }
}

/** The breaker's writes, on one app in memory: its webhook is turned off and on in place. */
export function appSwitch(app: App): WebhookBreakerParts["apps"] {
  return {
    async disableWebhook(_id: string, disabled: WebhookDisabled) {
      if (!app.webhook || app.webhook.disabled) return null;
      app.webhook = { ...app.webhook, disabled };
      return app;
    },
    async enableWebhookAfterFailures() {
      if (app.webhook?.disabled?.by !== "failures") return null;
      app.webhook = { ...app.webhook, disabled: null };
      return app;
    },
  };
}

/** The `webhook.disabled` callbacks the breaker made. */
export class RecordingCallbacks implements Pick<WebhookBreakerParts["callbacks"], "webhookDisabled"> {
  readonly disabled: { reason: string; at: Date }[] = [];

  async webhookDisabled(_app: unknown, reason: string, at: Date): Promise<void> {
    this.disabled.push({ reason, at });
  }
}
