import { directMessage, postEvent } from "../client/live-events.js";
import type { BenchApp, Member } from "../client/population.js";
import type { BenchWorld } from "../harness/bench-world.js";
import { type CpuByProcess, cpuByProcessPerUnit } from "../harness/process-cpu.js";
import { runClosedLoop } from "../load/closed-loop.js";
import { type DeliverySummary, DeliveryTracker } from "../load/delivery-tracker.js";

export interface EndToEndOptions {
  events: number;
  /** Clients sending at once, each its next event when the last one is answered. */
  concurrency: number;
  /** Each event goes to one of them, in turn: one notification per event. */
  recipients: Member[];
  timeoutMs: number;
}

export interface EndToEndResult extends DeliverySummary {
  concurrency: number;
  /** Every accepted event arrived before the timeout. */
  complete: boolean;
  /** CPU per arrived notification of every process it went through, the bench's own included. */
  cpu: CpuByProcess;
}

/**
 * 1:1 messages as fast as `concurrency` clients get them accepted, from the first send until
 * the last notification reaches its simulated device (direct mode, or through the webhook).
 */
export async function measureEndToEnd(
  world: BenchWorld,
  app: BenchApp,
  options: EndToEndOptions,
): Promise<EndToEndResult> {
  await world.sims.resetArrivals();
  const tracker = new DeliveryTracker(world.sims.arrivals);
  const { result: complete, cpu } = await cpuByProcessPerUnit(
    world.pipelineProcesses(),
    async () => {
      await sendDirectMessages(world, app, tracker, options);
      return tracker.waitForAll(options.timeoutMs);
    },
    () => tracker.summary().arrived,
  );
  await world.sims.flush();
  await world.queues.waitForIdle(60_000);
  return { ...tracker.summary(), concurrency: options.concurrency, complete, cpu };
}

/** Sends `options.events` 1:1 messages through `concurrency` clients; each accepted one is tracked. */
export async function sendDirectMessages(
  world: BenchWorld,
  app: BenchApp,
  tracker: DeliveryTracker,
  options: EndToEndOptions,
): Promise<void> {
  const loop = await runClosedLoop({
    total: options.events,
    concurrency: options.concurrency,
    timeoutMs: options.timeoutMs,
    task: async (index) => {
      const recipient = options.recipients[index % options.recipients.length] as Member;
      const event = directMessage("bench-sender", recipient.userId);
      const answer = await postEvent(world.client, app, event);
      if (answer.status !== 202) throw new Error(`answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      tracker.accept(event.id, answer.sentAt);
    },
  });
  if (loop.failed > 0) throw new Error(`${loop.failed} events refused, first: ${loop.firstError}`);
}
