import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { type PushWorld, startPushWorld, type UserDevices, userWithDevices } from "../support/push-world.js";
import { SentinelSetup, until } from "../support/redis-topologies.js";

/** Event jobs one worker runs at once; with two recipients each, the sends a crash can catch in flight. */
const eventConcurrency = 4;
const recipients = 2;
const inFlightBound = eventConcurrency * recipients;
const eventsPerSecond = 25;

interface Outcome {
  id: string;
  status: number;
  sentAt: number;
  answeredAt: number;
}

/** Posts a message event every 1/`perSecond` s until stopped, each answer kept with when it was asked and answered. */
function steadyLoad(world: PushWorld, perSecond: number) {
  const outcomes: Outcome[] = [];
  const pending = new Set<Promise<void>>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const event = messageEvent();
      const sentAt = Date.now();
      const posted = postEvent(world.gw, world.app, event).then(
        (answer) =>
          void outcomes.push({ id: event.id, status: answer.status, sentAt, answeredAt: Date.now() }),
      );
      pending.add(posted);
      void posted.finally(() => pending.delete(posted));
      await sleep(1000 / perSecond);
    }
  })();
  return {
    outcomes,
    accepted: () => outcomes.filter((outcome) => outcome.status === 202),
    async stop(): Promise<void> {
      running = false;
      await loop;
      await Promise.all(pending);
    },
  };
}

describe("Redis Sentinel: the gateway on a master the Sentinels watch (docs/configuration.md)", function () {
  this.timeout(180_000);
  let sentinel: SentinelSetup;
  let world: PushWorld;
  let devices: UserDevices[];

  before(async () => {
    sentinel = await SentinelSetup.start();
    world = await startPushWorld({
      ...sentinel.settings,
      EVENT_WORKER_CONCURRENCY: eventConcurrency,
      // A job whose completion the failover lost is taken up again soon, not after 30 s.
      WORKER_LOCK_DURATION_MS: 1500,
      WORKER_STALLED_INTERVAL_MS: 500,
    });
    devices = [
      await userWithDevices(world.gw, world.app, "u2"),
      await userWithDevices(world.gw, world.app, "u3"),
    ];
  });
  after(async () => {
    await world?.close();
    await sentinel?.stop();
  });

  /** How many times each member's device got each event. */
  function receivedPerEvent(): Map<string, number> {
    const times = new Map<string, number>();
    for (const entry of world.sims.received.entries) {
      const eventId = (entry.payload as { data?: { event_id?: string } }).data?.event_id;
      times.set(`${entry.token} ${eventId}`, (times.get(`${entry.token} ${eventId}`) ?? 0) + 1);
    }
    return times;
  }

  it("runs an event through to its members' devices", async () => {
    const event = messageEvent();
    expect((await postEvent(world.gw, world.app, event)).status).to.equal(202);
    expect((await waitForEvent(world.gw, world.app, event.id)).status).to.equal("completed");
    const times = receivedPerEvent();
    for (const { android } of devices) expect(times.get(`${android} ${event.id}`)).to.equal(1);
  });

  it("loses no accepted event when the master dies under load, and answers 503 while there is none", async () => {
    const load = steadyLoad(world, eventsPerSecond);
    let lastSeenReplica = 0;
    let killedAt = 0;
    try {
      await until(async () => load.accepted().length >= 25, "25 events accepted before the failover");
      await sentinel.killMaster();
      killedAt = Date.now();
      // The replica is certainly no master yet when a ROLE asked at `asked` finds it a replica.
      await until(
        async () => {
          const asked = Date.now();
          if ((await sentinel.replicaRole()) === "master") return true;
          lastSeenReplica = asked;
          return false;
        },
        "the Sentinels promoting the replica",
        60_000,
      );
      await until(
        async () => (await sentinel.masterPort()) === sentinel.replica.port,
        "the Sentinels naming the new master",
      );
      const acceptedBefore = load.accepted().length;
      await until(
        async () => load.accepted().length >= acceptedBefore + 50,
        "50 events accepted by the new master",
        60_000,
      );
    } finally {
      await load.stop();
    }

    const answered = new Map<number, number>();
    for (const { status } of load.outcomes) answered.set(status, (answered.get(status) ?? 0) + 1);
    expect([...answered.keys()].sort(), "every answer a 202 or a 503").to.deep.equal([202, 503]);
    const masterless = load.outcomes.filter(
      (outcome) => outcome.sentAt > killedAt && outcome.answeredAt < lastSeenReplica,
    );
    expect(masterless.length, "events posted while no master was reachable").to.be.greaterThan(0);
    expect(masterless.filter((outcome) => outcome.status !== 503)).to.deep.equal([]);

    const accepted = load.accepted();
    for (const { id } of accepted) {
      const status = await waitForEvent(world.gw, world.app, id, undefined, 60_000);
      expect(status.status, id).to.equal("completed");
    }
    const times = receivedPerEvent();
    const missing = accepted.flatMap(({ id }) =>
      devices.filter(({ android }) => (times.get(`${android} ${id}`) ?? 0) === 0).map(() => id),
    );
    expect(missing, "accepted events that did not reach a member").to.deep.equal([]);
    const acceptedIds = new Set(accepted.map(({ id }) => id));
    const repeats = [...times]
      .filter(([pair]) => acceptedIds.has(pair.split(" ")[1] as string))
      .reduce((sum, [, count]) => sum + count - 1, 0);
    console.log(
      `      failover: ${load.outcomes.length} posted, ${accepted.length} accepted (202), ` +
        `${answered.get(503) ?? 0} refused (503), ${masterless.length} of them while no master was reachable; ` +
        `${accepted.length} completed, ${repeats} sends repeated (bound ${inFlightBound})`,
    );
    expect(repeats, "only sends in flight at the failover may go out again").to.be.at.most(inFlightBound);
  });
});
