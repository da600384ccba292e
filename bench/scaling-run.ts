import { loadSettings } from "../src/config/load.js";
import type { BenchOptions } from "./bench-options.js";
import { type BenchApp, type Member, newMembers } from "./client/population.js";
import type { BenchWorld } from "./harness/bench-world.js";
import { CostMeter } from "./harness/cost-meter.js";
import { register } from "./register-population.js";
import type { ScalingRun } from "./report/bench-results.js";
import type { Progress } from "./report/progress.js";
import { type CapacityInputs, registrationInputs, webhookRelayInputs } from "./scenarios/capacity-inputs.js";
import { measureDrain } from "./scenarios/drain.js";
import { measureEndToEnd } from "./scenarios/end-to-end.js";
import { measureFanout } from "./scenarios/fanout.js";
import { measureSingleIngest } from "./scenarios/ingest.js";
import { RawSender } from "./scenarios/provider-ceiling.js";

export interface ScalingFigures {
  runs: ScalingRun[];
  capacity: CapacityInputs;
}

interface RoundMeters {
  direct: CostMeter;
  fanout: CostMeter;
}

/**
 * `--scaling`: the capacity model's inputs with one worker process (the api alone, each kind of
 * event metered), then direct push 1:1, a backlog and a fan-out again with one more worker
 * process: how far a second one carries the same gateway.
 */
export async function scaling(
  world: BenchWorld,
  options: BenchOptions,
  progress: Progress,
): Promise<ScalingFigures> {
  const app = await world.createApp();
  const members = newMembers(Math.max(options.fanout, options.dmRecipients), "scaling-member");
  await register(world, app, members, options, progress);
  const settings = loadSettings({ env: world.gatewayEnv });
  const rawSender = await RawSender.start(world.sims, {
    fcmConcurrency: settings.DELIVERY_CONCURRENCY,
    apnsStreams: settings.APNS_MAX_STREAMS_IN_FLIGHT,
  });
  const meters = { direct: CostMeter.open(world), fanout: CostMeter.open(world) };
  try {
    progress.phase(`capacity: the api alone, ${options.ingestEvents} single events (workers paused)`);
    const ingest = await measureSingleIngest(world, await world.createApp({ push_enabled: false }), {
      events: options.ingestEvents,
      concurrency: options.concurrency,
    });
    const first = await round(world, app, members, options, progress, rawSender, meters);
    progress.phase(`capacity: webhook relay 1:1, ${options.webhookEvents} events, then as a backlog`);
    const webhook = await webhookRelayInputs(world, {
      events: options.webhookEvents,
      recipients: Math.min(options.dmRecipients, 200),
      concurrency: options.concurrency,
    });
    progress.phase(`capacity: device registration, ${options.registerDevices} devices`);
    const registration = await registrationInputs(world, {
      devices: options.registerDevices,
      concurrency: options.concurrency,
    });
    progress.phase("scaling: starting one more worker process");
    await world.cluster.addWorker();
    const second = await round(world, app, members, options, progress, rawSender);

    const api = { perSecond: ingest.perSecond, from: "single-event ingest, workers paused" };
    const fanoutRecipients = first.fanout.members * first.fanout.runs.length;
    const capacity: CapacityInputs = {
      database: world.gatewayEnv.DATABASE_URL?.startsWith("postgres") ? "postgres" : "sqlite",
      build: world.cluster.build,
      kinds: [
        {
          kind: "direct push 1:1",
          perApiProcess: api,
          perWorkerProcess: { perSecond: first.drain.perSecond, from: "a backlog worked off, the api idle" },
          costs: meters.direct.perEvent(first.directPush.accepted),
        },
        {
          kind: "fan-out, per recipient",
          perApiProcess: null,
          perWorkerProcess: { perSecond: first.fanout.perSecond, from: "fan-out, median run" },
          costs: meters.fanout.perEvent(fanoutRecipients),
        },
        { ...webhook, perApiProcess: { ...api, from: "the same ingest as 1:1" } },
        registration,
      ],
    };
    return { runs: [first, second], capacity };
  } finally {
    meters.direct.close();
    meters.fanout.close();
    await rawSender.close();
  }
}

/** Direct push 1:1, a backlog of as many and a fan-out with the worker processes running now. */
async function round(
  world: BenchWorld,
  app: BenchApp,
  members: Member[],
  options: BenchOptions,
  progress: Progress,
  rawSender: RawSender,
  meters?: RoundMeters,
): Promise<ScalingRun> {
  const workers = world.cluster.workers.length;
  const directMessages = {
    events: options.directEvents,
    concurrency: options.concurrency,
    recipients: members.slice(0, options.dmRecipients),
    timeoutMs: 120_000,
  };
  progress.phase(`scaling, ${workers} worker(s): direct push 1:1, ${options.directEvents} events`);
  const endToEnd = () => measureEndToEnd(world, app, directMessages);
  const directPush = await (meters ? meters.direct.track(endToEnd) : endToEnd());
  progress.phase(`scaling, ${workers} worker(s): a backlog of ${options.directEvents} 1:1 events`);
  const drain = await measureDrain(world, app, directMessages);
  progress.phase(`scaling, ${workers} worker(s): fan-out to ${options.fanout} members`);
  const fanout = await measureFanout(world, app, members.slice(0, options.fanout), {
    runs: options.fanoutRuns,
    rawSender,
    timeoutMs: 180_000,
    track: meters?.fanout.track,
  });
  return { workers, directPush, drain, fanout };
}
