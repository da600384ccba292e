import { directMessage, postEvent } from "../client/live-events.js";
import type { BenchApp, Member } from "../client/population.js";
import type { BenchWorld } from "../harness/bench-world.js";
import { type DeliverySummary, DeliveryTracker } from "../load/delivery-tracker.js";
import { type LatencySummary, summarize } from "../load/latency.js";
import { runOpenLoop } from "../load/open-loop.js";

export interface OpenLoopLatencyOptions {
  ratePerSecond: number;
  durationMs: number;
  recipients: Member[];
}

export interface OpenLoopLatencyResult extends DeliverySummary {
  ratePerSecond: number;
  durationMs: number;
  /** Sends the schedule skipped because too many were unanswered. */
  skipped: number;
  refused: number;
  /** From each event's scheduled send to its 202. */
  ingestLatency: LatencySummary;
  complete: boolean;
}

/**
 * 1:1 messages at a fixed rate, whatever the gateway answers: latency from the moment each
 * was due to its arrival at the device, so a gateway falling behind shows in the figures.
 */
export async function measureOpenLoopLatency(
  world: BenchWorld,
  app: BenchApp,
  options: OpenLoopLatencyOptions,
): Promise<OpenLoopLatencyResult> {
  await world.sims.resetArrivals();
  const tracker = new DeliveryTracker(world.sims.arrivals);
  const ingest: number[] = [];
  let refused = 0;
  const loop = await runOpenLoop({
    ratePerSecond: options.ratePerSecond,
    durationMs: options.durationMs,
    maxInFlight: 1024,
    task: async (index, intendedAt) => {
      const recipient = options.recipients[index % options.recipients.length] as Member;
      const event = directMessage("bench-sender", recipient.userId);
      const answer = await postEvent(world.client, app, event);
      if (answer.status !== 202) {
        refused += 1;
        return;
      }
      ingest.push(answer.answeredAt - intendedAt);
      tracker.accept(event.id, intendedAt);
    },
  });
  const complete = await tracker.waitForAll(60_000);
  await world.sims.flush();
  await world.queues.waitForIdle(60_000);
  return {
    ...tracker.summary(),
    ratePerSecond: options.ratePerSecond,
    durationMs: options.durationMs,
    skipped: loop.skipped,
    refused: refused + loop.failed,
    ingestLatency: summarize(ingest),
    complete,
  };
}
