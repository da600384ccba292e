import { Limiter } from "../limiter.js";
import type { PushMessage, PushOutcome } from "../push-provider.js";
import { chunks, ExpoApi, type ExpoApiOptions } from "./expo-api.js";
import { type ExpoMessage, toExpoMessage } from "./expo-message.js";
import { expoResultOutcome, refusedRequestOutcome, unansweredRequestOutcome } from "./expo-outcome.js";

export interface ExpoSenderOptions extends ExpoApiOptions {
  /** Expo requests in flight at once. */
  concurrency: number;
}

/** Expo takes at most 100 notifications in one request. */
const maxMessagesPerRequest = 100;

/** Sends through Expo's push API, up to 100 notifications a request, so many tokens take few requests. */
export class ExpoSender {
  private readonly api: ExpoApi;
  private readonly limiter: Limiter;

  constructor(options: ExpoSenderOptions) {
    this.api = new ExpoApi(options);
    this.limiter = new Limiter(options.concurrency);
  }

  /**
   * One outcome per token, in the order of `tokens`, each settling when its request is answered.
   * A `sent` outcome carries the ticket id whose receipt `ExpoReceipts.check` reads later.
   */
  send(message: PushMessage, tokens: string[], accessToken?: string): Promise<PushOutcome>[] {
    const now = new Date();
    const messages = tokens.map((token) => toExpoMessage(message, token, now));
    return chunks(messages, maxMessagesPerRequest).flatMap((batch) => {
      const outcomes = this.limiter.run(() => this.sendBatch(batch, accessToken));
      return batch.map((_, index) => outcomes.then((all) => all[index] as PushOutcome));
    });
  }

  close(): Promise<void> {
    this.api.close();
    return Promise.resolve();
  }

  private async sendBatch(batch: ExpoMessage[], accessToken: string | undefined): Promise<PushOutcome[]> {
    let response: Awaited<ReturnType<ExpoApi["post"]>>;
    try {
      response = await this.api.post("push/send", batch, accessToken);
    } catch (error) {
      return batch.map(() => unansweredRequestOutcome(error));
    }
    if (response.statusCode !== 200) return batch.map(() => refusedRequestOutcome(response));
    const tickets = (response.body as { data?: unknown } | undefined)?.data;
    if (!Array.isArray(tickets) || tickets.length !== batch.length) {
      const reason = `Expo answered ${Array.isArray(tickets) ? tickets.length : "no"} tickets for ${batch.length} notifications`;
      return batch.map(() => ({ status: "failed", reason }));
    }
    return tickets.map((ticket: unknown) => {
      const id = (ticket as { id?: unknown } | null)?.id;
      const outcome = expoResultOutcome(ticket, typeof id === "string" ? id : undefined);
      // The ticket only says Expo took it: its receipt, later, says whether the device did.
      return outcome.status === "sent" && outcome.id !== undefined
        ? { ...outcome, receipt: outcome.id }
        : outcome;
    });
  }
}
