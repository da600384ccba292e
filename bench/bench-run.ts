import { loadSettings } from "../src/config/load.js";
import type { BenchOptions, ScenarioName } from "./bench-options.js";
import {
  type BenchApp,
  newMembers,
  patchApp,
  registerMembers,
  setMessageTemplate,
  withWebPushShare,
} from "./client/population.js";
import type { BenchWorld } from "./harness/bench-world.js";
import { register } from "./register-population.js";
import type { BenchResults, StoreFigures } from "./report/bench-results.js";
import type { Progress } from "./report/progress.js";
import { scaling } from "./scaling-run.js";
import { measureBullmqCeiling } from "./scenarios/bullmq-ceiling.js";
import { measureEndToEnd } from "./scenarios/end-to-end.js";
import { measureFanout } from "./scenarios/fanout.js";
import { measureIngest, measureSingleIngest } from "./scenarios/ingest.js";
import { measureIngestFloor } from "./scenarios/ingest-floor.js";
import { measureOpenLoopLatency } from "./scenarios/open-loop-latency.js";
import { measureProviderCeiling, RawSender } from "./scenarios/provider-ceiling.js";
import { measureRegistration } from "./scenarios/registration.js";

type Figures = Omit<
  BenchResults,
  | "startedAt"
  | "quick"
  | "machine"
  | "settings"
  | "redis"
  | "database"
  | "workers"
  | "build"
  | "phases"
  | "targets"
>;

/** One fan-out member in ten past the 1:1 recipients is a browser (Web Push). */
const webPushEvery = 10;
/** Every scenario `options.only` names, in an order where each leaves the pipeline idle for the next. */
export async function runScenarios(
  world: BenchWorld,
  options: BenchOptions,
  progress: Progress,
): Promise<Figures> {
  const wanted = (name: ScenarioName) => options.only.includes(name);
  const figures: Figures = {};
  if (wanted("ceilings")) Object.assign(figures, await ceilings(world, options, progress));
  if (wanted("ingest-floor")) figures.ingestFloor = await ingestFloor(world, options, progress);
  if (wanted("ingest")) figures.ingest = await ingest(world, options, progress);
  if (wanted("register")) figures.deviceRegistration = await deviceRegistration(world, options, progress);
  const directScenarios = ["direct", "open-loop", "fanout", "fanout-locales", "fanout-bursts"] as const;
  if (directScenarios.some(wanted)) {
    Object.assign(figures, await directMode(world, options, progress, wanted));
  }
  if (wanted("webhook")) figures.webhookRelay = await webhookRelay(world, options, progress);
  if (options.scaling) figures.scaling = await scaling(world, options, progress);
  figures.memory = world.cluster.peakMemory();
  return figures;
}

async function ceilings(world: BenchWorld, options: BenchOptions, progress: Progress): Promise<Figures> {
  const settings = loadSettings({ env: world.gatewayEnv });
  progress.phase(`ceiling: BullMQ, ${options.bullmqJobs} no-op jobs`);
  const bullmq = await measureBullmqCeiling(
    world.redisUrl,
    `${world.prefix}-ceiling`,
    options.bullmqJobs,
    settings.EVENT_WORKER_CONCURRENCY,
  );
  progress.phase(`ceiling: raw provider sends, ${options.providerSends} each`);
  const providers = await measureProviderCeiling(world.sims, {
    sends: options.providerSends,
    fcmConcurrency: settings.DELIVERY_CONCURRENCY,
    apnsStreams: settings.APNS_MAX_STREAMS_IN_FLIGHT,
  });
  return { bullmq, providers };
}

/**
 * The compared figures `options.only` names, on a second gateway on the other store, in the same
 * order and sizes as in `runScenarios`: single-event ingest (no batches), registration, direct push 1:1.
 */
export async function runComparedScenarios(
  world: BenchWorld,
  options: BenchOptions,
  progress: Progress,
  store: string,
): Promise<StoreFigures> {
  const wanted = (name: ScenarioName) => options.only.includes(name);
  const figures: StoreFigures = {};
  if (wanted("ingest")) {
    progress.phase(`${store}: ingest: ${options.ingestEvents} single events (worker paused)`);
    figures.ingestSingle = await measureSingleIngest(world, await world.createApp({ push_enabled: false }), {
      events: options.ingestEvents,
      concurrency: options.concurrency,
    });
  }
  if (wanted("register")) {
    figures.deviceRegistration = await deviceRegistration(world, options, progress, `${store}: `);
  }
  if (wanted("direct")) {
    const direct = await directMode(world, options, progress, (name) => name === "direct", `${store}: `);
    figures.directPush = direct.directPush;
  }
  return figures;
}

async function ingestFloor(world: BenchWorld, options: BenchOptions, progress: Progress) {
  progress.phase(
    `ingest floor: ${options.ingestEvents} single events to a bare node:http server (verify + queue.add)`,
  );
  const settings = loadSettings({ env: world.gatewayEnv });
  return measureIngestFloor(world, await world.createApp({ push_enabled: false }), {
    events: options.ingestEvents,
    concurrency: options.concurrency,
    toleranceSeconds: settings.EVENT_TIMESTAMP_TOLERANCE_SECONDS,
  });
}

async function ingest(world: BenchWorld, options: BenchOptions, progress: Progress) {
  progress.phase(`ingest: ${options.ingestEvents} single events, ${options.batches} batches (worker paused)`);
  return measureIngest(world, await world.createApp({ push_enabled: false }), {
    singleEvents: options.ingestEvents,
    batches: options.batches,
    batchSize: options.batchSize,
    concurrency: options.concurrency,
  });
}

async function deviceRegistration(world: BenchWorld, options: BenchOptions, progress: Progress, store = "") {
  progress.phase(
    `${store}device registration: ${options.registerDevices} sign-ins, then ${options.registerDevices} ` +
      `registrations (timed), ${options.concurrency} clients`,
  );
  return measureRegistration(world, await world.createApp(), {
    devices: options.registerDevices,
    concurrency: options.concurrency,
  });
}

/** One direct-mode app, its members registered once for the 1:1, open-loop and fan-out figures. */
async function directMode(
  world: BenchWorld,
  options: BenchOptions,
  progress: Progress,
  wanted: (name: ScenarioName) => boolean,
  store = "",
): Promise<Figures> {
  const figures: Figures = {};
  const app = await world.createApp();
  const fanouts = wanted("fanout") || wanted("fanout-locales") || wanted("fanout-bursts");
  const population = fanouts ? Math.max(options.fanout, options.dmRecipients) : options.dmRecipients;
  const everyone = newMembers(population, "member");
  const members = fanouts
    ? await withWebPushShare(everyone, app, world.sims, { from: options.dmRecipients, every: webPushEvery })
    : everyone;
  figures.registration = await register(world, app, members, options, progress, store);
  const recipients = members.slice(0, options.dmRecipients);

  if (wanted("direct")) {
    progress.phase(`${store}direct push 1:1: ${options.directEvents} events, ${options.concurrency} clients`);
    figures.directPush = await measureEndToEnd(world, app, {
      events: options.directEvents,
      concurrency: options.concurrency,
      recipients,
      timeoutMs: 120_000,
    });
  }
  if (wanted("open-loop")) {
    const openLoopAt = (ratePerSecond: number) => {
      progress.phase(`open loop: ${ratePerSecond} events/s for ${options.rateSeconds} s`);
      return measureOpenLoopLatency(world, app, {
        ratePerSecond,
        durationMs: options.rateSeconds * 1000,
        recipients,
      });
    };
    figures.openLoopSteady = await openLoopAt(options.steadyRate);
    figures.openLoop = await openLoopAt(options.rate);
  }
  if (fanouts) {
    const settings = loadSettings({ env: world.gatewayEnv });
    const rawSender = await RawSender.start(world.sims, {
      fcmConcurrency: settings.DELIVERY_CONCURRENCY,
      apnsStreams: settings.APNS_MAX_STREAMS_IN_FLIGHT,
    });
    const fanout = () =>
      measureFanout(world, app, members.slice(0, options.fanout), {
        runs: options.fanoutRuns,
        rawSender,
        timeoutMs: 180_000,
      });
    try {
      if (wanted("fanout")) {
        progress.phase(
          `fan-out: ${options.fanoutRuns} × (raw sends, then one message to ${options.fanout} members)`,
        );
        figures.fanout = await fanout();
      }
      if (wanted("fanout-locales"))
        figures.fanoutLocales = await fanoutInTwoLanguages(world, app, fanout, progress);
      if (wanted("fanout-bursts"))
        figures.fanoutBursts = await fanoutWithBursts(world, app, fanout, progress);
    } finally {
      await rawSender.close();
    }
  }
  return figures;
}

/**
 * The same fan-out with a template in English only, then in English and French: half the
 * members' devices are French, so the second renders and sends two wordings.
 */
async function fanoutInTwoLanguages(
  world: BenchWorld,
  app: BenchApp,
  fanout: () => ReturnType<typeof measureFanout>,
  progress: Progress,
): Promise<NonNullable<Figures["fanoutLocales"]>> {
  progress.phase("fan-out in one language: the message template in English only");
  await setMessageTemplate(world.client, app, ["en"]);
  const oneLocale = await fanout();
  progress.phase("fan-out in two languages: the message template in English and French");
  await setMessageTemplate(world.client, app, ["en", "fr"]);
  const twoLocales = await fanout();
  return { oneLocale, twoLocales };
}

/**
 * The same fan-out with badges and bursts on (`badge: count`, a minute's window: the runs after
 * the first fold into the burst the first opened), then with both off. On goes first, so that
 * the warmer second half favours off, never the figure under test.
 */
async function fanoutWithBursts(
  world: BenchWorld,
  app: BenchApp,
  fanout: () => ReturnType<typeof measureFanout>,
  progress: Progress,
): Promise<NonNullable<Figures["fanoutBursts"]>> {
  progress.phase("fan-out with badges and bursts on: badge count, a 60 s burst window");
  await patchApp(world.client, app, { badge: "count", burst_window_seconds: 60 });
  const on = await fanout();
  progress.phase("fan-out with badges and bursts off");
  await patchApp(world.client, app, { badge: "off", burst_window_seconds: 0 });
  const off = await fanout();
  return { on, off };
}

async function webhookRelay(world: BenchWorld, options: BenchOptions, progress: Progress) {
  const recipients = newMembers(Math.min(options.dmRecipients, 200), "webhook-member");
  progress.phase(`webhook relay: ${options.webhookEvents} events (${recipients.length} recipients)`);
  const app = await world.createApp({
    mode: "webhook",
    webhook: { url: world.webhook.url, timeout_ms: 5000 },
  });
  await registerMembers(world.client, app, recipients, options.concurrency);
  return measureEndToEnd(world, app, {
    events: options.webhookEvents,
    concurrency: options.concurrency,
    recipients,
    timeoutMs: 120_000,
  });
}
