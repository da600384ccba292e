/** The final answer for one token of one event. */
export type TokenResult = "sent" | "invalid" | "failed" | "expired";

export interface RecordedResult {
  result: TokenResult;
  /** The run of the event that got it. */
  run: number;
}

/** Settled for good: the device has it, or the token is dead. A failure or an expiry settles one run only. */
export function settlesEveryRun(result: TokenResult): boolean {
  return result === "sent" || result === "invalid";
}

/**
 * What each token of an event has become, recorded as each answer arrives, so a job that
 * runs again (crashed worker) sends only to tokens without a result, and a replay only to
 * tokens that have not got the notification. Shared by every worker process.
 */
export interface DeliveryLedger {
  /** The recorded result of each token, in the order given; null for a token without one. */
  results(appId: string, eventId: string, tokens: string[]): Promise<(RecordedResult | null)[]>;
  /** Resolves once the result is stored; kept until `keepUntil`. */
  record(
    appId: string,
    eventId: string,
    token: string,
    recorded: RecordedResult,
    keepUntil: Date,
  ): Promise<void>;
}
