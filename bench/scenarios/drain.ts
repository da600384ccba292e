import { now } from "../client/gateway-client.js";
import type { BenchApp } from "../client/population.js";
import type { BenchWorld } from "../harness/bench-world.js";
import { DeliveryTracker } from "../load/delivery-tracker.js";
import { type EndToEndOptions, sendDirectMessages } from "./end-to-end.js";

export interface DrainResult {
  events: number;
  arrived: number;
  /** From the workers' resumption to the last notification, ms. */
  drainMs: number;
  perSecond: number;
  complete: boolean;
}

/**
 * The worker processes alone: 1:1 messages accepted while every worker is paused, then worked
 * off; from the resumption to the last notification. The api is idle meanwhile, so this is
 * what the workers (and the database they share) can do, not what the api lets through.
 */
export async function measureDrain(
  world: BenchWorld,
  app: BenchApp,
  options: EndToEndOptions,
): Promise<DrainResult> {
  await world.sims.resetArrivals();
  const tracker = new DeliveryTracker(world.sims.arrivals);
  world.cluster.pauseWorkers();
  let resumedAt: number;
  try {
    await sendDirectMessages(world, app, tracker, options);
  } finally {
    resumedAt = now();
    world.cluster.resumeWorkers();
  }
  const complete = await tracker.waitForAll(options.timeoutMs);
  await world.sims.flush();
  const lastArrival = world.sims.arrivals.entries.reduce(
    (last, arrival) => Math.max(last, arrival.at),
    resumedAt,
  );
  await world.queues.waitForIdle(60_000);
  const drainMs = lastArrival - resumedAt;
  const arrived = tracker.summary().arrived;
  return {
    events: tracker.accepted,
    arrived,
    drainMs,
    perSecond: drainMs > 0 ? (arrived / drainMs) * 1000 : 0,
    complete,
  };
}
