/**
 * `npm run bench [-- --quick] [-- --profile]`: one run of every figure of issue 8 on loopback,
 * then single-event ingest, registration and direct push 1:1 again on a second gateway on the
 * other store (PostgreSQL, when one answers), a table on stdout and the figures in
 * `.bench/results-<timestamp>.json`.
 */
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { type BenchOptions, parseBenchOptions } from "./bench-options.js";
import { runScenarios } from "./bench-run.js";
import { BenchWorld } from "./harness/bench-world.js";
import { buildDist } from "./harness/build-dist.js";
import { closeOnInterrupt } from "./harness/close-on-exit.js";
import { projectRoot } from "./harness/gateway-process.js";
import { summarizeProfiles } from "./profile-summary.js";
import { type BenchResults, checkTargets } from "./report/bench-results.js";
import { markdownResults, printResults } from "./report/print-results.js";
import { Progress } from "./report/progress.js";
import { runDirectory, writeResultsFile } from "./report/results-file.js";
import { announce, compareOnOtherStore, otherStore } from "./store-comparison.js";

/** The settings worth recording: no secrets, paths, ports or prefixes. */
function shownSettings(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      ([name]) => !/TOKEN|SECRET|KEY|DIR|DATABASE_URL|ENDPOINT|CA_FILE|REDIS_URL|PREFIX/.test(name),
    ),
  );
}

/** Returns the exit code: 1 when the other store's gateway failed (the run's own figures are kept). */
async function run(options: BenchOptions): Promise<number> {
  const startedAt = new Date();
  const out = path.resolve(projectRoot, options.out);
  const runDir = runDirectory(out, "run", startedAt);
  const progress = new Progress();
  const results: BenchResults = {
    startedAt: startedAt.toISOString(),
    quick: options.quick,
    machine: { cpus: cpus().length, node: process.version, loadAverageAtStart: loadavg() },
    settings: {},
    redis: process.env.REDIS_URL ? "REDIS_URL" : "private",
    database: options.postgresServer ? "postgres" : "sqlite",
    workers: options.workers,
    build: options.dist ? "dist" : "tsx",
    phases: progress.phases,
    targets: [],
  };

  const other = await otherStore(options);
  if (other) console.log(announce(other, options));
  if (other && "skipped" in other) results.storeComparisonSkipped = other.skipped;

  let open: BenchWorld | undefined;
  closeOnInterrupt(() => open?.close() ?? Promise.resolve());
  const startWorld = async (dir: string, postgresServer: string | undefined) => {
    open = await BenchWorld.start({
      runDir: dir,
      redisUrl: process.env.REDIS_URL || undefined,
      profile: options.profile,
      settings: options.settings,
      postgresServer,
      workers: options.workers,
      build: results.build,
    });
    progress.note(`gateway at ${open.cluster.apiUrl}, logs in ${path.relative(projectRoot, dir)}`);
    return open;
  };

  if (options.dist) {
    progress.phase("building dist/ (npm run build): the gateway runs from it as the image does");
    buildDist();
  }
  progress.phase(
    `starting Redis, simulators, the api and ${options.workers} worker process(es) on ${results.database}`,
  );
  const world = await startWorld(runDir, options.postgresServer);
  results.settings = shownSettings(world.gatewayEnv);
  try {
    Object.assign(results, await runScenarios(world, options, progress));
  } finally {
    progress.phase("stopping");
    await world.close();
  }
  const compared =
    !other ||
    "skipped" in other ||
    (await compareOnOtherStore(other, startWorld, runDir, options, progress, results));
  results.targets = checkTargets(results);
  console.log(`\n${printResults(results)}\n`);
  const file = writeResultsFile(out, "results", startedAt, results);
  writeFileSync(file.replace(/\.json$/, ".md"), `${markdownResults(results)}\n`);
  console.log(`results: ${path.relative(projectRoot, file)} (and .md: the tables for docs/performance.md)`);
  if (options.profile) console.log(`\n${summarizeProfiles(path.join(runDir, "profiles"))}`);
  return compared ? 0 : 1;
}

run(parseBenchOptions(process.argv.slice(2))).then(
  (exitCode) => process.exit(exitCode),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
