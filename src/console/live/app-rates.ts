import type { EventRepository } from "../../domain/events/event-repository.js";

/** One app's rates over one interval, from its stored events: the gateway's metrics are not per app. */
export interface AppSample {
  at: Date;
  eventsPerSecond: number;
  /** Of the events that completed in the interval: their notifications by outcome. */
  notificationsPerSecond: Record<AppNotificationOutcome, number>;
}

export const appNotificationOutcomes = ["sent", "failed", "invalid_token", "expired"] as const;
export type AppNotificationOutcome = (typeof appNotificationOutcomes)[number];

/** The most recent events read for one chart: beyond it, the rates of a very busy app are a lower bound. */
export const appEventsRead = 5000;

/**
 * The app's rates over the last `count` intervals, oldest first: events by the time they were
 * received, notifications by the time their event completed.
 */
export async function appSamples(
  events: Pick<EventRepository, "list">,
  appId: string,
  now: Date,
  intervalMs: number,
  count: number,
): Promise<AppSample[]> {
  const start = now.getTime() - intervalMs * count;
  // From one window earlier: an event received then may complete within the window.
  const records = await events.list(appId, {
    since: new Date(start - intervalMs * count),
    limit: appEventsRead,
  });
  const seconds = intervalMs / 1000;
  const samples: AppSample[] = Array.from({ length: count }, (_, index) => ({
    at: new Date(start + intervalMs * (index + 1)),
    eventsPerSecond: 0,
    notificationsPerSecond: { sent: 0, failed: 0, invalid_token: 0, expired: 0 },
  }));
  const sampleAt = (moment: Date | null) => {
    if (!moment) return undefined;
    const index = Math.floor((moment.getTime() - start) / intervalMs);
    return index >= 0 && index < count ? samples[index] : undefined;
  };
  for (const record of records) {
    const received = sampleAt(record.receivedAt);
    if (received) received.eventsPerSecond += 1 / seconds;
    const completed = sampleAt(record.completedAt);
    if (!completed) continue;
    const rates = completed.notificationsPerSecond;
    rates.sent += record.sent / seconds;
    rates.failed += record.failed / seconds;
    rates.invalid_token += record.invalidTokens / seconds;
    rates.expired += record.expired / seconds;
  }
  return samples;
}
