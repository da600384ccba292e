import { randomUUID } from "node:crypto";

/** The errors a receipt reports once Expo has handed a notification to APNs or FCM. */
export type ExpoReceiptError = "DeviceNotRegistered" | "MessageRateExceeded" | "MismatchSenderId";

export type ExpoReceipt =
  | { status: "ok" }
  | { status: "error"; message: string; details: { error: ExpoReceiptError; expoPushToken?: string } };

const receiptMessages: Record<ExpoReceiptError, (token: string) => string> = {
  DeviceNotRegistered: (token) => `"${token}" is not a registered push notification recipient`,
  MessageRateExceeded: () => "The device is receiving notifications too quickly: send fewer.",
  MismatchSenderId: () => "The FCM credentials of the project do not match those of the push token.",
};

export function receiptError(error: ExpoReceiptError, token: string): ExpoReceipt {
  return {
    status: "error",
    message: receiptMessages[error](token),
    details: { error, ...(error === "DeviceNotRegistered" && { expoPushToken: token }) },
  };
}

/** The receipts of accepted notifications, by the id of their ticket. */
export class ReceiptBook {
  private readonly receipts = new Map<string, ExpoReceipt>();

  /** Files `receipt` and returns the ticket id it will be asked for by. */
  file(receipt: ExpoReceipt): string {
    const id = randomUUID();
    this.receipts.set(id, receipt);
    return id;
  }

  /** The receipts of `ids`; an unknown id is left out, as Expo leaves out receipts not ready yet. */
  lookup(ids: string[]): Record<string, ExpoReceipt> {
    const found: Record<string, ExpoReceipt> = {};
    for (const id of ids) {
      const receipt = this.receipts.get(id);
      if (receipt) found[id] = receipt;
    }
    return found;
  }
}
