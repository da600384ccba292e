import { expect } from "chai";
import { appSamples } from "../../src/console/live/app-rates.js";
import type { EventListQuery, EventRecord } from "../../src/domain/events/event-record.js";

/** Only what the rates read of a stored event. */
function record(receivedAt: string, completedAt: string | null, sent = 0, failed = 0): EventRecord {
  return {
    receivedAt: new Date(receivedAt),
    completedAt: completedAt ? new Date(completedAt) : null,
    sent,
    failed,
    invalidTokens: 0,
    expired: 0,
  } as EventRecord;
}

describe("console live view: one app's rates from its stored events", () => {
  it("counts events by when they were received and notifications by when their event completed", async () => {
    const asked: { appId: string; query: EventListQuery }[] = [];
    const events = {
      list: async (appId: string, query: EventListQuery) => {
        asked.push({ appId, query });
        return [
          record("2026-01-01T00:00:01Z", "2026-01-01T00:00:06Z", 10, 5),
          record("2026-01-01T00:00:07Z", null),
          record("2026-01-01T00:00:09Z", "2026-01-01T00:00:09Z", 5),
          // Received before the window, completed in it: its notifications count, not the event.
          record("2025-12-31T23:59:59Z", "2026-01-01T00:00:02Z", 5),
        ];
      },
    };
    const samples = await appSamples(events, "app_1", new Date("2026-01-01T00:00:10Z"), 5000, 2);
    expect(asked).to.deep.equal([
      { appId: "app_1", query: { since: new Date("2025-12-31T23:59:50Z"), limit: 5000 } },
    ]);
    expect(samples.map((sample) => sample.at.toISOString())).to.deep.equal([
      "2026-01-01T00:00:05.000Z",
      "2026-01-01T00:00:10.000Z",
    ]);
    expect(samples.map((sample) => sample.eventsPerSecond)).to.deep.equal([0.2, 0.4]);
    expect(samples.map((sample) => sample.notificationsPerSecond.sent)).to.deep.equal([1, 3]);
    expect(samples.map((sample) => sample.notificationsPerSecond.failed)).to.deep.equal([0, 1]);
  });
});
