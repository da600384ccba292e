/**
 * `npm run drill [-- --quick]`: faults under a steady load — a worker killed, Redis restarted,
 * providers answering 503, a customer's webhook hanging, then down for good — and what must
 * still hold after each;
 * then abuse — a sign-in flood from one address beside real users, a flood of unsigned posts —
 * and what must hold while it lasts. Exits 1 when an invariant failed.
 */
import path from "node:path";
import { loadSettings } from "../src/config/load.js";
import { newMembers, registerMembers } from "./client/population.js";
import { abuseDrills } from "./drills/abuse/abuse-drills.js";
import { type AbuseReport, formatAbuse } from "./drills/abuse/abuse-report.js";
import { type DrillOptions, faultNames, parseDrillOptions, timingOf } from "./drills/drill-options.js";
import { type Fault, providerOutage, redisRestart, webhookHang, workerKill } from "./drills/faults.js";
import { formatDrill } from "./drills/print-drill.js";
import { type DrillReport, runDrill } from "./drills/run-drill.js";
import { webhookDown } from "./drills/webhook-down.js";
import { BenchWorld } from "./harness/bench-world.js";
import { closeOnInterrupt } from "./harness/close-on-exit.js";
import { projectRoot } from "./harness/gateway-process.js";
import { Progress } from "./report/progress.js";
import { runDirectory, writeResultsFile } from "./report/results-file.js";

const defaults = loadSettings({ env: {} });

/**
 * Drill-only settings: a killed worker's jobs are taken over within seconds (not 30 s) and
 * retries back off to 2 s at most, so that each drill ends soon after its fault does. Sign-in
 * is limited as configured (the bench lifts the limits), and the client address is read from
 * X-Forwarded-For, as behind a load balancer: the sign-in flood comes from one address. A webhook
 * its failures turned off is probed every 2 s, so that drill (e) sees several probes.
 */
const drillSettings = {
  WORKER_LOCK_DURATION_MS: "2000",
  WORKER_STALLED_INTERVAL_MS: "1000",
  DELIVERY_RETRY_BASE_MS: "250",
  DELIVERY_RETRY_MAX_MS: "2000",
  TRUST_PROXY: "true",
  WEBHOOK_PROBE_INTERVAL_SECONDS: "2",
  RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE: String(defaults.RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE),
  RATE_LIMIT_SIGN_IN_PER_APP_PER_SECOND: String(defaults.RATE_LIMIT_SIGN_IN_PER_APP_PER_SECOND),
};

async function main(options: DrillOptions): Promise<boolean> {
  const startedAt = new Date();
  const out = path.resolve(projectRoot, options.out);
  const progress = new Progress();
  progress.phase("starting a private Redis (AOF on), simulators, api and worker processes");
  // Always a private Redis, whatever REDIS_URL says: drill (b) kills it.
  const world = await BenchWorld.start({
    runDir: runDirectory(out, "drill-run", startedAt),
    profile: false,
    settings: drillSettings,
  });
  closeOnInterrupt(() => world.close());
  const reports: DrillReport[] = [];
  const abuseReports: AbuseReport[] = [];
  try {
    reports.push(...(await faultDrills(world, options, progress)));
    const settings = loadSettings({ env: world.gatewayEnv });
    for (const drill of abuseDrills.filter((each) => options.only.includes(each.name))) {
      progress.phase(`${drill.name}: ${drill.title}`);
      abuseReports.push(await drill.run(world, settings, options.quick));
    }
  } finally {
    progress.phase("stopping");
    await world.close();
  }
  const printed = [
    ...reports.map(formatDrill),
    ...abuseReports.map((report, index) => formatAbuse(report, reports.length + index)),
  ];
  console.log(`\n${printed.join("\n\n")}`);
  const passed = [...reports, ...abuseReports].every((report) =>
    report.invariants.every((check) => check.pass),
  );
  console.log(`\n${passed ? "every invariant held" : "some invariants FAILED"}`);
  const file = writeResultsFile(out, "drill", startedAt, {
    startedAt,
    quick: options.quick,
    reports,
    abuse: abuseReports,
  });
  console.log(`results: ${path.relative(projectRoot, file)}`);
  return passed;
}

/** The fault drills chosen, under a steady load to a direct-mode and a webhook-mode app. */
async function faultDrills(
  world: BenchWorld,
  options: DrillOptions,
  progress: Progress,
): Promise<DrillReport[]> {
  if (!faultNames.some((name) => options.only.includes(name))) return [];
  const settings = loadSettings({ env: world.gatewayEnv });
  const directMembers = newMembers(100, "drill-member");
  const webhookMembers = newMembers(50, "drill-webhook-member");
  const directApp = await world.createApp();
  const webhookApp = await world.createApp({
    mode: "webhook",
    webhook: { url: world.webhook.url, timeout_ms: 500 },
  });
  await registerMembers(world.client, directApp, directMembers, 16);
  await registerMembers(world.client, webhookApp, webhookMembers, 16);

  const faults: Fault[] = [
    workerKill,
    redisRestart,
    providerOutage,
    webhookHang,
    webhookDown(webhookApp, {
      probeIntervalMs: settings.WEBHOOK_PROBE_INTERVAL_SECONDS * 1000,
      callsInFlight: settings.WEBHOOK_WORKER_CONCURRENCY,
      webhookEventsPerSecond: timingOf(options, "webhook-down").ratePerSecond / 2,
    }),
  ].filter((fault) => options.only.includes(fault.name));
  const reports: DrillReport[] = [];
  for (const fault of faults) {
    const timing = timingOf(options, fault.name);
    progress.phase(`${fault.name}: ${fault.title}, under ${timing.ratePerSecond} events/s`);
    reports.push(
      await runDrill(fault, {
        world,
        timing,
        directApp: { app: directApp, recipients: directMembers },
        webhookApp: { app: webhookApp, recipients: webhookMembers },
        inFlightBound: settings.DELIVERY_CONCURRENCY + settings.APNS_MAX_STREAMS_IN_FLIGHT,
      }),
    );
  }
  return reports;
}

main(parseDrillOptions(process.argv.slice(2))).then(
  (passed) => process.exit(passed ? 0 : 1),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  },
);
