import type { TokenDirectory } from "../domain/audience/audience.js";
import type { PushSender } from "../providers/push-provider.js";
import type { AppLookup } from "./current-run.js";
import type { DeliveryObserver } from "./dispatch/chunk-delivery.js";
import type { ReceiptJob } from "./jobs.js";

export interface ReceiptCheckParts {
  apps: AppLookup;
  sender: Pick<PushSender, "checkReceipts">;
  tokens: Pick<TokenDirectory, "removeToken">;
  observer?: Pick<DeliveryObserver, "outcome">;
}

/**
 * Asks the provider what became of sends it answered with a receipt (Expo), minutes after
 * them: a token the receipt says is dead is removed, as a dead token is at a send. The event's
 * counts stay as they were: the send itself was accepted. A receipt not ready yet is not asked again.
 */
export class ReceiptCheck {
  constructor(private readonly parts: ReceiptCheckParts) {}

  async process(job: ReceiptJob): Promise<void> {
    const { apps, sender, tokens, observer } = this.parts;
    const app = await apps.findById(job.appId);
    if (!app) return;
    const outcomes = await sender.checkReceipts(
      app,
      job.provider,
      job.tickets.map((ticket) => ticket.receipt),
    );
    for (const { token, receipt } of job.tickets) {
      if (outcomes.get(receipt)?.status !== "invalid_token") continue;
      await tokens.removeToken(app.id, token);
      observer?.outcome(job.provider, "invalid_token");
    }
  }
}
