import path from "node:path";
import { type BenchOptions, comparedScenarios } from "./bench-options.js";
import { runComparedScenarios } from "./bench-run.js";
import type { BenchWorld } from "./harness/bench-world.js";
import { postgresUnavailable, shownServer } from "./harness/postgres-server.js";
import { type BenchResults, type StoreFigures, storeFiguresOf } from "./report/bench-results.js";
import type { Progress } from "./report/progress.js";

export const storeName = { sqlite: "SQLite", postgres: "PostgreSQL" } as const;

/**
 * The store the compared figures are also taken on, besides the run's own, and the PostgreSQL
 * server of the comparison (the other store's or the run's own); or why on one store only.
 */
export type OtherStore = { database: "sqlite" | "postgres"; postgresServer: string } | { skipped: string };

/** Undefined when the run takes none of the compared figures. */
export async function otherStore(options: BenchOptions): Promise<OtherStore | undefined> {
  if (!comparedScenarios.some((name) => options.only.includes(name))) return undefined;
  if (!options.compareStores) {
    const own = storeName[options.postgresServer ? "postgres" : "sqlite"];
    return { skipped: `store comparison: off (--no-compare-stores), ${own} only` };
  }
  if (options.postgresServer) return { database: "sqlite", postgresServer: options.postgresServer };
  const server = options.comparisonPostgresServer;
  const unavailable = await postgresUnavailable(server);
  if (!unavailable) return { database: "postgres", postgresServer: server };
  return {
    skipped:
      `store comparison: SQLite only, no PostgreSQL at ${shownServer(server)} (${unavailable}); ` +
      "BENCH_POSTGRES_URL or --postgres <url> names a server, --no-compare-stores skips the look",
  };
}

/** What the run will compare, said before it starts. */
export function announce(other: OtherStore, options: BenchOptions): string {
  if ("skipped" in other) return other.skipped;
  const figures = comparedScenarios.filter((name) => options.only.includes(name)).join(", ");
  const where =
    other.database === "postgres" ? ` (${shownServer(other.postgresServer)}, a fresh database)` : "";
  return `store comparison: ${figures} also on ${storeName[other.database]}${where}, after the run`;
}

/**
 * The compared figures on a second gateway on the other store, started once the first one has
 * stopped; `results` gains them side by side with its own, or why not. Returns false when that
 * gateway failed.
 */
export async function compareOnOtherStore(
  other: Extract<OtherStore, { database: string }>,
  startWorld: (runDir: string, postgresServer: string | undefined) => Promise<BenchWorld>,
  runDir: string,
  options: BenchOptions,
  progress: Progress,
  results: BenchResults,
): Promise<boolean> {
  const name = storeName[other.database];
  const onPostgres = other.database === "postgres";
  progress.phase(
    `store comparison: starting a second gateway on ${name}${onPostgres ? " (a fresh database)" : ""}`,
  );
  let figures: StoreFigures;
  try {
    const world = await startWorld(
      path.join(runDir, other.database),
      onPostgres ? other.postgresServer : undefined,
    );
    try {
      figures = await runComparedScenarios(world, options, progress, name);
    } finally {
      progress.phase(`stopping the ${name} gateway${onPostgres ? ", dropping its database" : ""}`);
      await world.close();
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const own = storeName[onPostgres ? "sqlite" : "postgres"];
    results.storeComparisonSkipped = `store comparison: the ${name} side failed, ${own} only (${reason.split("\n")[0]})`;
    console.error(error instanceof Error ? (error.stack ?? reason) : reason);
    return false;
  }
  const own = storeFiguresOf(results);
  const postgresServer = shownServer(other.postgresServer);
  results.storeComparison = onPostgres
    ? { postgresServer, sqlite: own, postgres: figures }
    : { postgresServer, sqlite: figures, postgres: own };
  return true;
}
