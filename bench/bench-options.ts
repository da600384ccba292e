import { Command, InvalidArgumentError, Option } from "commander";
import { namesFrom, positiveInteger } from "./cli-arguments.js";

export const scenarioNames = [
  "ceilings",
  "ingest-floor",
  "ingest",
  "register",
  "direct",
  "open-loop",
  "fanout",
  "fanout-locales",
  "fanout-bursts",
  "webhook",
] as const;
export type ScenarioName = (typeof scenarioNames)[number];

/** The figures taken on both stores, SQLite and PostgreSQL, unless `--no-compare-stores`. */
export const comparedScenarios = ["ingest", "register", "direct"] as const satisfies readonly ScenarioName[];

export interface BenchOptions {
  quick: boolean;
  bullmqJobs: number;
  providerSends: number;
  ingestEvents: number;
  batches: number;
  batchSize: number;
  concurrency: number;
  /** Devices of the registration figure (each user signed in beforehand). */
  registerDevices: number;
  directEvents: number;
  dmRecipients: number;
  rate: number;
  /** A rate the gateway keeps up with on this machine, for the latency it then has. */
  steadyRate: number;
  rateSeconds: number;
  fanout: number;
  fanoutRuns: number;
  /** How the fan-out population is registered: the client API, or straight into the database. */
  register: "http" | "store";
  webhookEvents: number;
  only: ScenarioName[];
  settings: Record<string, string>;
  profile: boolean;
  out: string;
  /** The PostgreSQL server the run uses (a database of its own there); undefined: SQLite. */
  postgresServer: string | undefined;
  /** Worker processes of the gateway. */
  workers: number;
  /** Build `dist/` first and run the gateway from it, as the image does (the peak RSS target's run). */
  dist: boolean;
  /** Direct push 1:1 and fan-out with one worker process, then with two: the scaling factor. */
  scaling: boolean;
  /**
   * Single-event ingest, registration and direct push 1:1 on the other store too (PostgreSQL
   * when the run is on SQLite, SQLite when on PostgreSQL), side by side with the ratio.
   */
  compareStores: boolean;
  /** The PostgreSQL server of that comparison when the run itself is on SQLite. */
  comparisonPostgresServer: string;
}

/** The PostgreSQL server of `--postgres` without a URL: the environment's, else the local one. */
function defaultPostgresServer(): string {
  return (
    process.env.BENCH_POSTGRES_URL ||
    process.env.TEST_DATABASE_URL ||
    "postgres://postgres@127.0.0.1:5432/postgres"
  );
}

/** Sizes of a full run, and of `--quick` (under a minute on two quiet cores before the store comparison). */
const sizes = {
  full: {
    bullmqJobs: 20_000,
    providerSends: 5000,
    ingestEvents: 5000,
    batches: 100,
    registerDevices: 3000,
    directEvents: 5000,
    rateSeconds: 10,
    fanout: 10_000,
    fanoutRuns: 3,
    webhookEvents: 2000,
  },
  quick: {
    bullmqJobs: 5000,
    providerSends: 1000,
    ingestEvents: 1000,
    batches: 20,
    registerDevices: 400,
    directEvents: 600,
    rateSeconds: 2,
    fanout: 2000,
    fanoutRuns: 1,
    webhookEvents: 200,
  },
};

function setting(value: string, previous: Record<string, string>): Record<string, string> {
  const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(value);
  if (!match) throw new InvalidArgumentError("must be NAME=value, e.g. FANOUT_CHUNK_SIZE=250");
  return { ...previous, [match[1] as string]: match[2] as string };
}

export function parseBenchOptions(argv: string[]): BenchOptions {
  const command = new Command("bench")
    .description("Pushgate benchmarks: api + worker processes, simulators and Redis on loopback")
    .option("--quick", "small sizes: a minute or two, the store comparison included", false)
    .option("--bullmq-jobs <n>", "no-op jobs of the BullMQ ceiling", positiveInteger)
    .option("--provider-sends <n>", "sends per raw provider ceiling", positiveInteger)
    .option("--ingest-events <n>", "single events of the ingest figure", positiveInteger)
    .option("--batches <n>", "batches of the ingest figure", positiveInteger)
    .option("--batch-size <n>", "events per batch", positiveInteger, 100)
    .option("--concurrency <n>", "clients sending at once (closed loop)", positiveInteger, 32)
    .option("--register-devices <n>", "devices of the registration figure", positiveInteger)
    .option("--direct-events <n>", "events of the direct push 1:1 figure", positiveInteger)
    .option("--dm-recipients <n>", "distinct recipients of the 1:1 events", positiveInteger, 500)
    .option("--rate <n>", "events per second of the open-loop latency run", positiveInteger, 1000)
    .option(
      "--steady-rate <n>",
      "events per second of a second open-loop run, one the gateway keeps up with",
      positiveInteger,
      100,
    )
    .option("--rate-seconds <n>", "how long each open-loop run lasts", positiveInteger)
    .option("--fanout <n>", "members of the fan-out channel (one device each)", positiveInteger)
    .option("--fanout-runs <n>", "fan-outs to run; the median counts (default 3, quick 1)", positiveInteger)
    .addOption(
      new Option("--register <how>", "register the devices through the client API or straight into the store")
        .choices(["http", "store"])
        .default("http"),
    )
    .option("--webhook-events <n>", "events of the webhook relay figure", positiveInteger)
    .addOption(
      new Option(
        "--only <scenarios>",
        `run only these, comma-separated: ${scenarioNames.join(", ")}`,
      ).argParser(namesFrom(scenarioNames)),
    )
    .option("--set <NAME=value>", "a gateway setting for both processes (repeatable)", setting, {})
    .option("--profile", "write CPU profiles of the api and worker processes (--cpu-prof)", false)
    .option("--out <dir>", "where results and profiles go", ".bench")
    .option(
      "--postgres [server-url]",
      "run on PostgreSQL, in a fresh database on this server (default: BENCH_POSTGRES_URL, " +
        "TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres)",
    )
    .option("--workers <n>", "worker processes of the gateway", positiveInteger, 1)
    .option(
      "--dist",
      "npm run build, then run the api and workers from dist/ (node dist/cli/main.js, NODE_ENV=production) " +
        "as the image does; the peak RSS target is checked only then",
      false,
    )
    .option(
      "--scaling",
      "the capacity model's inputs per event kind (events/s per api and per worker process, database " +
        "round trips and Redis commands per event), then direct push 1:1 and fan-out with 1 then 2 worker " +
        "processes; on PostgreSQL unless --sqlite; runs only that unless --only names more",
      false,
    )
    .option("--sqlite", "with --scaling: stay on the embedded SQLite store", false)
    .option(
      "--no-compare-stores",
      `take ${comparedScenarios.join(", ")} on one store only; by default they are taken on ` +
        "PostgreSQL too (the server of --postgres, BENCH_POSTGRES_URL, TEST_DATABASE_URL or the " +
        "local one, in a fresh database) when one answers, or on SQLite too under --postgres",
    )
    .parse(argv, { from: "user" });
  const given = command.opts();
  const base = given.quick ? sizes.quick : sizes.full;
  if (given.scaling && given.workers !== 1) {
    command.error("--scaling starts one worker, then a second: leave out --workers");
  }
  if (given.sqlite && given.postgres) command.error("--sqlite and --postgres exclude each other");
  const postgres = given.postgres ?? (given.scaling && !given.sqlite);
  const postgresServer = postgres === true ? defaultPostgresServer() : postgres || undefined;
  return {
    quick: given.quick,
    bullmqJobs: given.bullmqJobs ?? base.bullmqJobs,
    providerSends: given.providerSends ?? base.providerSends,
    ingestEvents: given.ingestEvents ?? base.ingestEvents,
    batches: given.batches ?? base.batches,
    batchSize: given.batchSize,
    concurrency: given.concurrency,
    registerDevices: given.registerDevices ?? base.registerDevices,
    directEvents: given.directEvents ?? base.directEvents,
    dmRecipients: given.dmRecipients,
    rate: given.rate,
    steadyRate: given.steadyRate,
    rateSeconds: given.rateSeconds ?? base.rateSeconds,
    fanout: given.fanout ?? base.fanout,
    fanoutRuns: given.fanoutRuns ?? base.fanoutRuns,
    register: given.register,
    webhookEvents: given.webhookEvents ?? base.webhookEvents,
    only: given.only ?? (given.scaling ? [] : [...scenarioNames]),
    settings: given.set,
    profile: given.profile,
    out: given.out,
    postgresServer,
    workers: given.workers,
    dist: given.dist,
    scaling: given.scaling,
    compareStores: given.compareStores,
    comparisonPostgresServer: postgresServer ?? defaultPostgresServer(),
  };
}
