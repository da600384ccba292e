import { channelMessage, postEvent } from "../client/live-events.js";
import type { BenchApp, Member } from "../client/population.js";
import { setChannelMembers } from "../client/population.js";
import type { BenchWorld } from "../harness/bench-world.js";
import type { Track } from "../harness/cost-meter.js";
import type { RawSender } from "./provider-ceiling.js";

export interface FanoutRun {
  arrived: number;
  /** From the send of the event to the first and to the last notification, ms. */
  firstArrivalMs: number;
  lastArrivalMs: number;
  perSecond: number;
  complete: boolean;
}

/** The median run by notifications per second, with every run's rate. */
export interface FanoutResult extends FanoutRun {
  members: number;
  runs: number[];
  /**
   * Raw sends per second of the same mix, each measured right before a fan-out: the reference of
   * the target, taken next to it so that what else runs on the machine weighs on both alike.
   */
  rawMixed: { runs: number[]; median: number };
}

const channelId = "everyone";

/**
 * `runs` times one `message.created` to a channel of every member (one device each): how long
 * until the last notification arrives. A single fan-out lasts seconds, so one run is at the mercy
 * of whatever else the machine does; the median of several is steadier.
 */
export async function measureFanout(
  world: BenchWorld,
  app: BenchApp,
  members: Member[],
  options: {
    runs: number;
    rawSender: RawSender;
    timeoutMs: number;
    /** Wraps each fan-out alone (not the setup, nor the raw sends): what the cost meter counts. */
    track?: Track;
  },
): Promise<FanoutResult> {
  const track = options.track ?? ((run) => run());
  await setChannelMembers(
    world.client,
    app,
    channelId,
    members.map((member) => member.userId),
  );
  const results: FanoutRun[] = [];
  const rawRates: number[] = [];
  for (let run = 0; run < options.runs; run++) {
    rawRates.push((await options.rawSender.rate("mixed", members.length)).perSecond);
    results.push(await track(() => fanOutOnce(world, app, members.length, options.timeoutMs)));
  }
  return {
    ...medianBy(results, (each) => each.perSecond),
    members: members.length,
    runs: results.map((each) => each.perSecond),
    rawMixed: { runs: rawRates, median: medianBy(rawRates, (rate) => rate) },
  };
}

function medianBy<T>(items: T[], value: (item: T) => number): T {
  return [...items].sort((a, b) => value(a) - value(b))[Math.floor(items.length / 2)] as T;
}

async function fanOutOnce(
  world: BenchWorld,
  app: BenchApp,
  members: number,
  timeoutMs: number,
): Promise<FanoutRun> {
  await world.sims.resetArrivals();
  const event = channelMessage("bench-sender", channelId);
  const answer = await postEvent(world.client, app, event);
  if (answer.status !== 202) throw new Error(`fan-out event answered ${answer.status}`);
  const complete = await world.sims.arrivals.waitForCount(members, timeoutMs);
  await world.sims.flush();
  const times = world.sims.arrivals.entries
    .filter((arrival) => arrival.eventId === event.id)
    .map((arrival) => arrival.at - answer.sentAt);
  const lastArrivalMs = Math.max(0, ...times);
  await world.queues.waitForIdle(60_000);
  return {
    arrived: times.length,
    firstArrivalMs: Math.min(...times),
    lastArrivalMs,
    perSecond: lastArrivalMs > 0 ? (times.length / lastArrivalMs) * 1000 : 0,
    complete,
  };
}
