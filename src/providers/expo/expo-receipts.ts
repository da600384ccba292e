import type { PushOutcome } from "../push-provider.js";
import { chunks, ExpoApi, type ExpoApiOptions } from "./expo-api.js";
import { expoResultOutcome, requestErrors } from "./expo-outcome.js";

/** Expo answers at most 1000 receipts a request. */
const maxIdsPerRequest = 1000;

/**
 * Reads Expo's receipts: a ticket only says Expo took the notification; whether APNs or FCM
 * delivered it (or found the device gone) is known once its receipt is ready.
 */
export class ExpoReceipts {
  private readonly api: ExpoApi;

  constructor(options: ExpoApiOptions) {
    this.api = new ExpoApi(options);
  }

  /**
   * The outcome of each ticket id whose receipt is ready; ids without one yet are left out.
   * Rejects when Expo refuses or does not answer a request: the receipts can be asked for again.
   */
  async check(ids: string[], accessToken?: string): Promise<Map<string, PushOutcome>> {
    const answers = await Promise.all(
      chunks(ids, maxIdsPerRequest).map((chunk) => this.receipts(chunk, accessToken)),
    );
    const outcomes = new Map<string, PushOutcome>();
    for (const receipts of answers) {
      for (const [id, receipt] of Object.entries(receipts)) outcomes.set(id, expoResultOutcome(receipt, id));
    }
    return outcomes;
  }

  close(): Promise<void> {
    this.api.close();
    return Promise.resolve();
  }

  private async receipts(ids: string[], accessToken: string | undefined): Promise<Record<string, unknown>> {
    const response = await this.api.post("push/getReceipts", { ids }, accessToken);
    const data = (response.body as { data?: unknown } | undefined)?.data;
    if (response.statusCode !== 200 || typeof data !== "object" || data === null || Array.isArray(data)) {
      throw new Error(`Expo getReceipts answered ${response.statusCode}: ${requestErrors(response.body)}`);
    }
    return data as Record<string, unknown>;
  }
}
