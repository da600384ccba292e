/**
 * `npm run bench [-- --quick] [-- --profile]`: one run of every figure of issue 8 on loopback,
 * a table on stdout and the figures in `.bench/results-<timestamp>.json`.
 */
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { type BenchOptions, parseBenchOptions } from "./bench-options.js";
import { runScenarios } from "./bench-run.js";
import { BenchWorld } from "./harness/bench-world.js";
import { closeOnInterrupt } from "./harness/close-on-exit.js";
import { projectRoot } from "./harness/gateway-process.js";
import { summarizeProfiles } from "./profile-summary.js";
import { type BenchResults, checkTargets } from "./report/bench-results.js";
import { markdownResults, printResults } from "./report/print-results.js";
import { Progress } from "./report/progress.js";
import { runDirectory, writeResultsFile } from "./report/results-file.js";

/** The settings worth recording: no secrets, paths, ports or prefixes. */
function shownSettings(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      ([name]) => !/TOKEN|SECRET|KEY|DIR|DATABASE_URL|ENDPOINT|CA_FILE|REDIS_URL|PREFIX/.test(name),
    ),
  );
}

async function run(options: BenchOptions): Promise<void> {
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
    phases: progress.phases,
    targets: [],
  };

  progress.phase(
    `starting Redis, simulators, the api and ${options.workers} worker process(es) on ${results.database}`,
  );
  const world = await BenchWorld.start({
    runDir,
    redisUrl: process.env.REDIS_URL || undefined,
    profile: options.profile,
    settings: options.settings,
    postgresServer: options.postgresServer,
    workers: options.workers,
  });
  results.settings = shownSettings(world.gatewayEnv);
  closeOnInterrupt(() => world.close());
  progress.note(`gateway at ${world.cluster.apiUrl}, logs in ${path.relative(projectRoot, runDir)}`);
  try {
    Object.assign(results, await runScenarios(world, options, progress));
  } finally {
    progress.phase("stopping");
    await world.close();
  }
  results.targets = checkTargets(results);
  console.log(`\n${printResults(results)}\n`);
  const file = writeResultsFile(out, "results", startedAt, results);
  writeFileSync(file.replace(/\.json$/, ".md"), `${markdownResults(results)}\n`);
  console.log(`results: ${path.relative(projectRoot, file)} (and .md: the tables for docs/performance.md)`);
  if (options.profile) console.log(`\n${summarizeProfiles(path.join(runDir, "profiles"))}`);
}

run(parseBenchOptions(process.argv.slice(2))).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
