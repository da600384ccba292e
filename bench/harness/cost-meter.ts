import { Redis } from "ioredis";
import type { BenchWorld } from "./bench-world.js";
import { countsByLabel, scrapeMetrics, sumOfCounter } from "./worker-metrics.js";

/** What one event cost, on average over the events a meter tracked. */
export interface EventCosts {
  events: number;
  /** Statements, plus a BEGIN and a COMMIT per transaction on PostgreSQL: one round trip each. */
  dbRoundTrips: { api: number; workers: number };
  dbTransactions: { api: number; workers: number };
  /** `INFO commandstats` calls; the commands a Lua script runs count besides the script's own call. */
  redisCommands: number;
  /** EVALSHA, EVAL and FCALL calls: BullMQ's and the gateway's scripts. */
  redisScripts: number;
  /** Redis server CPU (user + system): what bounds a shard, whatever the command mix. */
  redisCpuMs: number;
  topRedisCommands: { command: string; perEvent: number }[];
  /** The workers' most frequent statements (`pushgate_db_statements_total` by name). */
  topWorkerStatements: { statement: string; perEvent: number }[];
}

type Role = "api" | "workers";

/** Runs `run` and counts what it cost (`CostMeter.track`), or just runs it. */
export type Track = <T>(run: () => Promise<T>) => Promise<T>;

interface Counts {
  redisCalls: Map<string, number>;
  redisCpuSeconds: number;
  statements: Record<Role, number>;
  transactions: Record<Role, number>;
  workerStatementsByName: Map<string, number>;
}

const scriptCommands = new Set(["evalsha", "eval", "evalsha_ro", "eval_ro", "fcall", "fcall_ro"]);

/**
 * Database and Redis work of the gateway while `track`ed runs take place: deltas of the api's
 * and workers' `pushgate_db_*` counters and of the Redis server's command stats and CPU time.
 * Everything on that Redis counts (with `REDIS_URL`, others' commands too), the bench's own
 * queue watch included; its `INFO` calls do not.
 */
export class CostMeter {
  private readonly total: Counts = emptyCounts();

  private constructor(
    private readonly world: BenchWorld,
    private readonly redis: Redis,
    private readonly postgres: boolean,
  ) {}

  static open(world: BenchWorld): CostMeter {
    const redis = new Redis(world.redisUrl, { maxRetriesPerRequest: 1 });
    return new CostMeter(world, redis, world.gatewayEnv.DATABASE_URL?.startsWith("postgres") ?? false);
  }

  readonly track: Track = async (run) => {
    const before = await this.read();
    const result = await run();
    const after = await this.read();
    for (const [command, calls] of after.redisCalls) {
      const added = calls - (before.redisCalls.get(command) ?? 0);
      this.total.redisCalls.set(command, (this.total.redisCalls.get(command) ?? 0) + added);
    }
    this.total.redisCpuSeconds += after.redisCpuSeconds - before.redisCpuSeconds;
    for (const role of ["api", "workers"] as const) {
      this.total.statements[role] += after.statements[role] - before.statements[role];
      this.total.transactions[role] += after.transactions[role] - before.transactions[role];
    }
    for (const [statement, count] of after.workerStatementsByName) {
      const added = count - (before.workerStatementsByName.get(statement) ?? 0);
      this.total.workerStatementsByName.set(
        statement,
        (this.total.workerStatementsByName.get(statement) ?? 0) + added,
      );
    }
    return result;
  };

  /** The tracked work divided by `events`. */
  perEvent(events: number): EventCosts {
    const per = (value: number) => (events > 0 ? value / events : 0);
    const roundTrips = (role: Role) =>
      per(this.total.statements[role] + (this.postgres ? 2 * this.total.transactions[role] : 0));
    const calls = [...this.total.redisCalls].filter(([command]) => command !== "info");
    return {
      events,
      dbRoundTrips: { api: roundTrips("api"), workers: roundTrips("workers") },
      dbTransactions: {
        api: per(this.total.transactions.api),
        workers: per(this.total.transactions.workers),
      },
      redisCommands: per(calls.reduce((sum, [, count]) => sum + count, 0)),
      redisScripts: per(
        calls.filter(([command]) => scriptCommands.has(command)).reduce((sum, [, count]) => sum + count, 0),
      ),
      redisCpuMs: per(this.total.redisCpuSeconds * 1000),
      topRedisCommands: calls
        .sort(([, a], [, b]) => b - a)
        .slice(0, 6)
        .map(([command, count]) => ({ command, perEvent: per(count) })),
      topWorkerStatements: [...this.total.workerStatementsByName]
        .filter(([, count]) => count > 0)
        .sort(([, a], [, b]) => b - a)
        .slice(0, 6)
        .map(([statement, count]) => ({ statement, perEvent: per(count) })),
    };
  }

  close(): void {
    this.redis.disconnect();
  }

  private async read(): Promise<Counts> {
    const counts = emptyCounts();
    const [commandStats, cpu] = await Promise.all([this.redis.info("commandstats"), this.redis.info("cpu")]);
    for (const match of commandStats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
      counts.redisCalls.set(match[1] as string, Number(match[2]));
    }
    const cpuField = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, "m").exec(cpu)?.[1] ?? 0);
    counts.redisCpuSeconds = cpuField("used_cpu_user") + cpuField("used_cpu_sys");
    const [apiUrl, ...workerUrls] = this.world.cluster.metricsUrls();
    const expositions = await Promise.all([apiUrl as string, ...workerUrls].map(scrapeMetrics));
    expositions.forEach((exposition, index) => {
      const role: Role = index === 0 ? "api" : "workers";
      counts.statements[role] += sumOfCounter(exposition, "pushgate_db_statements_total");
      counts.transactions[role] += sumOfCounter(exposition, "pushgate_db_transactions_total");
      if (role === "workers") {
        for (const [statement, count] of countsByLabel(
          exposition,
          "pushgate_db_statements_total",
          "statement",
        )) {
          counts.workerStatementsByName.set(
            statement,
            (counts.workerStatementsByName.get(statement) ?? 0) + count,
          );
        }
      }
    });
    return counts;
  }
}

function emptyCounts(): Counts {
  return {
    redisCalls: new Map(),
    redisCpuSeconds: 0,
    statements: { api: 0, workers: 0 },
    transactions: { api: 0, workers: 0 },
    workerStatementsByName: new Map(),
  };
}
