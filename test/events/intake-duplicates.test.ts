import { expect } from "chai";
import type { App } from "../../src/domain/apps/app.js";
import type { Reservation } from "../../src/domain/events/event-record.js";
import type { EventToReserve } from "../../src/domain/events/event-repository.js";
import type { LiveEvent } from "../../src/domain/events/live-event.js";
import { EventIntake, QueueUnavailableError } from "../../src/pipeline/ingest/event-intake.js";
import { testApp } from "../pipeline/fakes/app.js";
import { messageEvent } from "../support/events.js";

/** The claims as the events table keeps them: an id is new once, until released. */
class Claims {
  readonly claimed = new Set<string>();

  async reserve(_appId: string, events: EventToReserve[]): Promise<Reservation[]> {
    return events.map(({ event }) => {
      if (this.claimed.has(event.id)) return "duplicate";
      this.claimed.add(event.id);
      return "new";
    });
  }

  async release(_appId: string, ids: string[]): Promise<void> {
    for (const id of ids) this.claimed.delete(id);
  }
}

/** A queue whose every enqueue waits until the test settles it. */
class HeldQueue {
  readonly held: { ids: string[]; settle: (error?: Error) => void }[] = [];

  enqueue(_appId: string, ids: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.held.push({ ids, settle: (error) => (error ? reject(error) : resolve()) });
    });
  }
}

const liveMessage = () => messageEvent() as LiveEvent;

const settledWithin = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    ),
    new Promise<"pending">((resolve) => setTimeout(() => resolve("pending"), ms)),
  ]);

describe("event intake: a duplicate of a post still being queued", () => {
  const app = testApp() as App;

  it("is answered only once the first is queued, and refused with it when the queue refuses the first", async () => {
    const claims = new Claims();
    const queue = new HeldQueue();
    const intake = new EventIntake(claims, queue);
    const event = liveMessage();
    const other = liveMessage();

    const first = intake.accept(app, [event], new Date());
    await new Promise((resolve) => setImmediate(resolve));
    const duplicate = intake.accept(app, [event, other], new Date());
    expect(await settledWithin(duplicate, 50), "told nothing while the first is not queued").to.equal(
      "pending",
    );
    expect(queue.held.map((entry) => entry.ids)).to.deep.equal([[event.id]]);

    queue.held[0]?.settle(new Error("Redis is gone"));
    for (const answer of [await settledWithin(first, 1000), await settledWithin(duplicate, 1000)]) {
      expect(answer).to.have.property("error").that.is.instanceOf(QueueUnavailableError);
    }
    expect([...claims.claimed], "nothing accepted: a retry is new again").to.deep.equal([]);
  });

  it("is a duplicate once the first is queued", async () => {
    const queue = new HeldQueue();
    const intake = new EventIntake(new Claims(), queue);
    const event = liveMessage();
    const first = intake.accept(app, [event], new Date());
    await new Promise((resolve) => setImmediate(resolve));
    const duplicate = intake.accept(app, [event], new Date());
    queue.held[0]?.settle();
    expect(await first).to.deep.equal(["new"]);
    expect(await duplicate).to.deep.equal(["duplicate"]);
  });
});
