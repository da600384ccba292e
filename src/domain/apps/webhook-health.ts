import type { WebhookSettings } from "./app.js";
import type { WebhookFailureStreaks } from "./app-service.js";

/** An app's current run of failed webhook calls: how many in a row, since the first of them. */
export interface FailureStreak {
  count: number;
  since: Date;
}

/**
 * What every worker process shares of an app's webhook health (docs/api.md, "A webhook that
 * protects itself"): the run of failed calls that turns it off, and, while it is off, who
 * makes this interval's probe.
 */
export interface WebhookHealth extends WebhookFailureStreaks {
  /** Adds a failed call to the app's run and answers the run. */
  failed(appId: string, at: Date): Promise<FailureStreak>;
  /** An answered call ends the run. */
  answered(appId: string): Promise<void>;
  /** True for the one caller per `intervalMs` whose call of an off webhook is made, as a probe. */
  claimProbe(appId: string, intervalMs: number): Promise<boolean>;
}

/** Whether a run of failures turns the webhook off: enough calls in a row, over at least the span set. */
export function streakDisables(webhook: WebhookSettings, streak: FailureStreak, at: Date): boolean {
  const spanMs = at.getTime() - streak.since.getTime();
  return streak.count >= webhook.disableAfterFailures && spanMs >= webhook.disableAfterMinutes * 60_000;
}

/** The reason an app shows for a webhook its failures turned off, ending with the last call's error. */
export function failuresReason(streak: FailureStreak, at: Date, lastError: string): string {
  const minutes = Math.round((at.getTime() - streak.since.getTime()) / 60_000);
  const span = minutes < 1 ? "under a minute" : minutes === 1 ? "1 minute" : `${minutes} minutes`;
  return `${streak.count} calls in a row failed over ${span}; the last: ${lastError}`;
}
