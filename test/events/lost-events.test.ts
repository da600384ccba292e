import { Queue } from "bullmq";
import { expect } from "chai";
import { Redis } from "ioredis";
import type { LiveEvent } from "../../src/domain/events/live-event.js";
import { requeueLostEvents } from "../../src/pipeline/ingest/lost-events.js";
import type { EventJob } from "../../src/pipeline/jobs.js";
import { BullEventQueue } from "../../src/queue/pipeline-queues.js";
import { queueNames } from "../../src/queue/queues.js";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { type PushWorld, startPushWorld, userWithDevices } from "../support/push-world.js";

describe("events accepted whose job was lost", () => {
  let world: PushWorld;
  let redis: Redis;
  let queue: Queue<EventJob>;
  const sweep = { graceMs: 60_000, perAppLimit: 100 };

  before(async () => {
    world = await startPushWorld();
    const { REDIS_URL, REDIS_PREFIX } = world.gw.settings;
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queue = new Queue<EventJob>(queueNames.events, { connection: redis, prefix: REDIS_PREFIX });
  });
  after(async () => {
    await queue.close();
    redis.disconnect();
    await world.close();
  });

  it("are queued again by the sweep and delivered; those with a job, or too recent, are left alone", async () => {
    const { store } = world.gw.gateway;
    const bob = await userWithDevices(world.gw, world.app, "u2");
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    // An intake that died between claiming the event and queueing it.
    const lost = messageEvent({ channel: { id: "c1", display_name: "Team", member_ids: ["u1", "u2"] } });
    const recent = messageEvent();
    expect(
      await store.events.reserve(world.app.id, [
        { event: lost as LiveEvent, mode: "direct", receivedAt: twoMinutesAgo },
      ]),
    ).to.deep.equal(["new"]);
    await store.events.reserve(world.app.id, [
      { event: recent as LiveEvent, mode: "direct", receivedAt: new Date() },
    ]);
    const queued = messageEvent();
    expect((await postEvent(world.gw, world.app, queued)).status).to.equal(202);

    const requeued = await requeueLostEvents(
      store.apps,
      store.events,
      new BullEventQueue(queue, async () => {}),
      new Date(),
      sweep,
    );

    expect(requeued, "only the lost one past the grace").to.equal(1);
    expect(await waitForEvent(world.gw, world.app, lost.id)).to.deep.include({ status: "completed" });
    const received = world.sims.received.forToken(bob.android as string);
    expect(
      received.filter((entry) => JSON.stringify(entry.payload).includes(lost.message.text)),
    ).to.have.length.at.least(1);
    expect(
      await requeueLostEvents(
        store.apps,
        store.events,
        new BullEventQueue(queue, async () => {}),
        new Date(),
        sweep,
      ),
      "nothing lost any more",
    ).to.equal(0);
    await store.events.release(world.app.id, [recent.id]);
  });
});
