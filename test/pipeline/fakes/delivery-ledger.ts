import type { DeliveryLedger, RecordedResult } from "../../../src/pipeline/dispatch/delivery-ledger.js";

/** Each token's result per event, in memory. */
export class InMemoryDeliveryLedger implements DeliveryLedger {
  private readonly recorded = new Map<string, RecordedResult>();

  async results(appId: string, eventId: string, tokens: string[]): Promise<(RecordedResult | null)[]> {
    return tokens.map((token) => this.recorded.get(`${appId}/${eventId}/${token}`) ?? null);
  }

  async record(appId: string, eventId: string, token: string, recorded: RecordedResult): Promise<void> {
    this.recorded.set(`${appId}/${eventId}/${token}`, recorded);
  }
}
