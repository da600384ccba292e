import { expect } from "chai";
import type { AcceptedIds } from "../../src/domain/events/event-repository.js";
import { QueuedMarks } from "../../src/pipeline/ingest/queued-marks.js";

class RecordingEvents {
  readonly calls: AcceptedIds[][] = [];
  failWith: Error | null = null;
  async markQueued(accepted: AcceptedIds[]): Promise<void> {
    this.calls.push(accepted);
    if (this.failWith) throw this.failWith;
  }
}

describe("queued marks", () => {
  it("writes the marks of one event-loop turn in one call, and the next turn's in another", async () => {
    const events = new RecordingEvents();
    const marks = new QueuedMarks(events);
    await Promise.all([marks.mark("app_1", ["e1"]), marks.mark("app_2", ["e1", "e2"])]);
    await marks.mark("app_1", ["e3"]);
    expect(events.calls).to.deep.equal([
      [
        { appId: "app_1", ids: ["e1"] },
        { appId: "app_2", ids: ["e1", "e2"] },
      ],
      [{ appId: "app_1", ids: ["e3"] }],
    ]);
  });

  it("fails every mark of a call the database refused", async () => {
    const events = new RecordingEvents();
    events.failWith = new Error("database gone");
    const marks = new QueuedMarks(events);
    const outcomes = await Promise.allSettled([marks.mark("app_1", ["e1"]), marks.mark("app_1", ["e2"])]);
    expect(outcomes.map((outcome) => outcome.status)).to.deep.equal(["rejected", "rejected"]);
    expect(events.calls).to.have.length(1);
  });
});
