import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import { messageEvent, postEvent, waitForEvent } from "./events.js";
import { type PushWorld, type UserDevices, userWithDevices } from "./push-world.js";
import { until } from "./redis-topologies.js";

/** Event jobs one worker runs at once; with two recipients each, the sends a crash can catch in flight. */
const eventConcurrency = 4;
const recipients = 2;
const inFlightBound = eventConcurrency * recipients;
const eventsPerSecond = 25;

/** The gateway's settings for a drill, on top of those of its Redis setup. */
export const drillSettings = {
  EVENT_WORKER_CONCURRENCY: eventConcurrency,
  // A job whose completion the failover lost is taken up again soon, not after 30 s.
  WORKER_LOCK_DURATION_MS: 1500,
  WORKER_STALLED_INTERVAL_MS: 500,
};

/** The members of the channel `messageEvent` posts to, each with an Android device. */
export async function drillRecipients(world: PushWorld): Promise<UserDevices[]> {
  const devices = [
    await userWithDevices(world.gw, world.app, "u2"),
    await userWithDevices(world.gw, world.app, "u3"),
  ];
  expect(devices).to.have.length(recipients);
  return devices;
}

/** How many times each device got each event, by `<token> <event id>`. */
export function receivedPerEvent(world: PushWorld): Map<string, number> {
  const times = new Map<string, number>();
  for (const entry of world.sims.received.entries) {
    const eventId = (entry.payload as { data?: { event_id?: string } }).data?.event_id;
    times.set(`${entry.token} ${eventId}`, (times.get(`${entry.token} ${eventId}`) ?? 0) + 1);
  }
  return times;
}

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

/** The failover a drill causes: a master's crash, and how its replica's promotion shows. */
export interface Failover {
  /** Kills the master (SIGKILL). */
  killMaster(): Promise<void>;
  /** What the replica says it is (ROLE): `master` once promoted. */
  replicaRole(): Promise<string>;
  /** Whether the setup names the promoted replica the master now (Sentinels, every cluster node). */
  replicaNamedMaster(): Promise<boolean>;
}

/** What a drill counted. */
export interface DrillFigures {
  posted: number;
  accepted: number;
  refused: number;
  /** Events posted after the crash and answered while the replica was certainly no master yet. */
  masterless: number;
  repeats: number;
  inFlightBound: number;
  /** From the crash to the first ROLE that found the replica a master. */
  promotedAfterMs: number;
  /** From the crash to the first event accepted after it. */
  acceptingAgainAfterMs: number;
}

/**
 * Kills the master under steady load and counts: every event answered 202 completes and
 * reaches each member's device; none is sent again beyond the sends in flight at the crash;
 * and while the replica is not a master yet, every answer is 503, never 202.
 */
export async function failoverDrill(
  world: PushWorld,
  devices: UserDevices[],
  failover: Failover,
): Promise<DrillFigures> {
  const load = steadyLoad(world, eventsPerSecond);
  let lastSeenReplica = 0;
  let killedAt = 0;
  let promotedAt = 0;
  try {
    await until(async () => load.accepted().length >= 25, "25 events accepted before the failover");
    await failover.killMaster();
    killedAt = Date.now();
    // The replica is certainly no master yet when a ROLE asked at `asked` finds it a replica.
    await until(
      async () => {
        const asked = Date.now();
        if ((await failover.replicaRole()) === "master") {
          promotedAt = Date.now();
          return true;
        }
        lastSeenReplica = asked;
        return false;
      },
      "the replica promoted",
      60_000,
    );
    await until(() => failover.replicaNamedMaster(), "the promoted replica named the master");
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
  const times = receivedPerEvent(world);
  const missing = accepted.flatMap(({ id }) =>
    devices.filter(({ android }) => (times.get(`${android} ${id}`) ?? 0) === 0).map(() => id),
  );
  expect(missing, "accepted events that did not reach a member").to.deep.equal([]);
  const acceptedIds = new Set(accepted.map(({ id }) => id));
  const repeats = [...times]
    .filter(([pair]) => acceptedIds.has(pair.split(" ")[1] as string))
    .reduce((sum, [, count]) => sum + count - 1, 0);
  const firstAcceptedAfter = Math.min(
    ...accepted.filter(({ sentAt }) => sentAt > killedAt).map(({ answeredAt }) => answeredAt),
  );
  const figures: DrillFigures = {
    posted: load.outcomes.length,
    accepted: accepted.length,
    refused: answered.get(503) ?? 0,
    masterless: masterless.length,
    repeats,
    inFlightBound,
    promotedAfterMs: promotedAt - killedAt,
    acceptingAgainAfterMs: firstAcceptedAfter - killedAt,
  };
  console.log(
    `      failover: ${figures.posted} posted, ${figures.accepted} accepted (202), ` +
      `${figures.refused} refused (503), ${figures.masterless} of them while no master was reachable; ` +
      `${figures.accepted} completed, ${repeats} sends repeated (bound ${inFlightBound}); ` +
      `replica promoted ${figures.promotedAfterMs} ms after the crash, ` +
      `events accepted again after ${figures.acceptingAgainAfterMs} ms`,
  );
  expect(repeats, "only sends in flight at the failover may go out again").to.be.at.most(inFlightBound);
  return figures;
}
