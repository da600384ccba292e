/**
 * `npm run drill [-- --quick]`: faults under a steady load — a worker killed, Redis restarted,
 * providers answering 503, a customer's webhook hanging — and what must still hold after each.
 * Exits 1 when an invariant failed.
 */
import path from "node:path";
import { loadSettings } from "../src/config/load.js";
import { newMembers, registerMembers } from "./client/population.js";
import { type DrillOptions, parseDrillOptions, timingOf } from "./drills/drill-options.js";
import { type Fault, providerOutage, redisRestart, webhookHang, workerKill } from "./drills/faults.js";
import { formatDrill } from "./drills/print-drill.js";
import { type DrillReport, runDrill } from "./drills/run-drill.js";
import { BenchWorld } from "./harness/bench-world.js";
import { closeOnInterrupt } from "./harness/close-on-exit.js";
import { projectRoot } from "./harness/gateway-process.js";
import { Progress } from "./report/progress.js";
import { runDirectory, writeResultsFile } from "./report/results-file.js";

/**
 * Drill-only settings: a killed worker's jobs are taken over within seconds (not 30 s) and
 * retries back off to 2 s at most, so that each drill ends soon after its fault does.
 */
const drillSettings = {
  WORKER_LOCK_DURATION_MS: "2000",
  WORKER_STALLED_INTERVAL_MS: "1000",
  DELIVERY_RETRY_BASE_MS: "250",
  DELIVERY_RETRY_MAX_MS: "2000",
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
  try {
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
      providerOutage(() => [...directMembers, ...webhookMembers]),
      webhookHang,
    ].filter((fault) => options.only.includes(fault.name));
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
  } finally {
    progress.phase("stopping");
    await world.close();
  }
  console.log(`\n${reports.map(formatDrill).join("\n\n")}`);
  const passed = reports.every((report) => report.invariants.every((check) => check.pass));
  console.log(`\n${passed ? "every invariant held" : "some invariants FAILED"}`);
  const file = writeResultsFile(out, "drill", startedAt, { startedAt, quick: options.quick, reports });
  console.log(`results: ${path.relative(projectRoot, file)}`);
  return passed;
}

main(parseDrillOptions(process.argv.slice(2))).then(
  (passed) => process.exit(passed ? 0 : 1),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  },
);
