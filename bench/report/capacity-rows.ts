import type { CapacityInputs, ProcessRate } from "../scenarios/capacity-inputs.js";
import { perSecond } from "./table.js";

export const capacityHeader = [
  "event kind",
  "per api process",
  "per worker process",
  "DB round trips/event (api + workers)",
  "Redis commands/event (scripts)",
  "Redis CPU/event",
  "top Redis commands per event",
  "top worker statements per event",
];

const rate = (process: ProcessRate | null) => (process ? perSecond(process.perSecond) : "—");
const figure = (value: number) => value.toFixed(value < 10 ? 2 : 1);

/** One row per kind of event: the measured inputs of docs/scaling.md's capacity model. */
export function capacityRows(capacity: CapacityInputs): string[][] {
  return capacity.kinds.map(({ kind, perApiProcess, perWorkerProcess, costs }) => [
    kind,
    rate(perApiProcess),
    rate(perWorkerProcess),
    `${figure(costs.dbRoundTrips.api + costs.dbRoundTrips.workers)} (${figure(costs.dbRoundTrips.api)} + ${figure(costs.dbRoundTrips.workers)})`,
    `${figure(costs.redisCommands)} (${figure(costs.redisScripts)})`,
    `${(costs.redisCpuMs * 1000).toFixed(0)} µs`,
    costs.topRedisCommands.map(({ command, perEvent }) => `${command} ${figure(perEvent)}`).join(", "),
    costs.topWorkerStatements.map(({ statement, perEvent }) => `${statement} ${figure(perEvent)}`).join(", "),
  ]);
}

/** What the table stands on, said above it. */
export function capacityTitle(capacity: CapacityInputs): string {
  const database = capacity.database === "postgres" ? "PostgreSQL" : "SQLite";
  const roundTrips =
    capacity.database === "postgres" ? "statements + BEGIN and COMMIT of each transaction" : "statements";
  return (
    `capacity model inputs: one api and one worker process (${capacity.build === "dist" ? "dist/" : "tsx"}), ${database}; ` +
    `per api process from single-event ingest with the workers paused (registration: its own figure), ` +
    `per worker process from a backlog worked off (fan-out: its rate); DB round trips = ${roundTrips}; ` +
    "Redis commands from INFO commandstats, a script's own commands included:"
  );
}
