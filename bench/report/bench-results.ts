import type { PeakMemory } from "../harness/gateway-cluster.js";
import type { GatewayBuild } from "../harness/gateway-process.js";
import type { BullmqCeiling } from "../scenarios/bullmq-ceiling.js";
import type { CapacityInputs } from "../scenarios/capacity-inputs.js";
import type { DrainResult } from "../scenarios/drain.js";
import type { EndToEndResult } from "../scenarios/end-to-end.js";
import type { FanoutResult } from "../scenarios/fanout.js";
import type { IngestRate, IngestResult } from "../scenarios/ingest.js";
import type { OpenLoopLatencyResult } from "../scenarios/open-loop-latency.js";
import type { ProviderCeiling } from "../scenarios/provider-ceiling.js";
import type { RegistrationResult } from "../scenarios/registration.js";
import { atLeast, atMost, type TargetCheck } from "./targets.js";

/** One phase of the run and the machine's load average (1 min) when it began. */
export interface PhaseLoad {
  phase: string;
  startedAtS: number;
  loadAverage: number;
}

export interface BenchResults {
  startedAt: string;
  quick: boolean;
  machine: { cpus: number; node: string; loadAverageAtStart: number[] };
  /** Settings of both gateway processes besides `config/default.json`, secrets and paths left out. */
  settings: Record<string, string>;
  redis: "private" | "REDIS_URL";
  database: "sqlite" | "postgres";
  /** Worker processes at the start of the run. */
  workers: number;
  /** What the gateway processes ran: the source under tsx, or `dist/` as the image runs it. */
  build: GatewayBuild;
  phases: PhaseLoad[];
  bullmq?: BullmqCeiling;
  providers?: ProviderCeiling;
  /** Signing in and registering the 1:1 and fan-out population, timed as a whole. */
  registration?: { devices: number; via: "http" | "store"; perSecond: number };
  /** A bare `node:http` server verifying the signature and adding one BullMQ job, loaded as `ingest.single`. */
  ingestFloor?: IngestRate;
  ingest?: IngestResult;
  /** `register`: device registrations alone, the users signed in beforehand. */
  deviceRegistration?: RegistrationResult;
  directPush?: EndToEndResult;
  openLoop?: OpenLoopLatencyResult;
  /** The same at `--steady-rate`, without a target: the latency when the gateway keeps up. */
  openLoopSteady?: OpenLoopLatencyResult;
  fanout?: FanoutResult;
  /** `fanout-locales`: the fan-out with a one-language template, then a two-language one. */
  fanoutLocales?: { oneLocale: FanoutResult; twoLocales: FanoutResult };
  /** `fanout-bursts`: the fan-out with badges and bursts on, then off. */
  fanoutBursts?: { on: FanoutResult; off: FanoutResult };
  webhookRelay?: EndToEndResult;
  /**
   * `--scaling`: the capacity model's inputs, then direct push 1:1, a backlog and a fan-out with
   * one worker process, then with two.
   */
  scaling?: { runs: ScalingRun[]; capacity: CapacityInputs };
  memory?: PeakMemory;
  /** The compared figures on SQLite and on PostgreSQL, when both ran. */
  storeComparison?: StoreComparison;
  /** Why the compared figures were taken on one store only (none when they were not wanted). */
  storeComparisonSkipped?: string;
  targets: TargetCheck[];
}

/** The figures taken on both stores: single-event ingest, device registration, direct push 1:1. */
export interface StoreFigures {
  ingestSingle?: IngestRate;
  deviceRegistration?: RegistrationResult;
  directPush?: EndToEndResult;
}

export interface StoreComparison {
  /** The PostgreSQL server, without credentials; each run has a fresh database there. */
  postgresServer: string;
  sqlite: StoreFigures;
  postgres: StoreFigures;
}

/** The compared figures of one run: what PostgreSQL must reach as a share of SQLite. */
export const storeTargetRatio = 0.7;

/** Each compared figure, named as the tables show it, with its value in one store's figures. */
export const comparedFigures: { name: string; perSecond: (figures: StoreFigures) => number | undefined }[] = [
  { name: "single-event ingest (202)", perSecond: (figures) => figures.ingestSingle?.perSecond },
  { name: "direct push 1:1, end to end", perSecond: (figures) => figures.directPush?.perSecond },
  { name: "device registration (client API)", perSecond: (figures) => figures.deviceRegistration?.perSecond },
];

/** The compared figures of a run's own store, from its results. */
export function storeFiguresOf(results: Pick<BenchResults, "ingest" | "deviceRegistration" | "directPush">) {
  const figures: StoreFigures = {};
  if (results.ingest) figures.ingestSingle = results.ingest.single;
  if (results.deviceRegistration) figures.deviceRegistration = results.deviceRegistration;
  if (results.directPush) figures.directPush = results.directPush;
  return figures;
}

export interface ScalingRun {
  workers: number;
  directPush: EndToEndResult;
  /** The workers alone, working off a backlog. */
  drain: DrainResult;
  fanout: FanoutResult;
}

/** The open-loop rate the latency target is set at. */
export const openLoopTargetRate = 1000;

/** The targets of issue 8 and of the scaling issue, from whatever parts of the run took place. */
export function checkTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [...floorChecks(results)];
  const { bullmq, directPush, fanout, openLoop, ingest } = results;
  if (bullmq && directPush) {
    // Each 1:1 event is one signed HTTP request: the api alone bounds the figure.
    const bound = ingest ? `; single-event ingest alone ${Math.round(ingest.single.perSecond)}/s` : "";
    checks.push(
      atLeast(
        "direct push 1:1 ÷ BullMQ ceiling",
        directPush.perSecond / bullmq.processedPerSecond,
        0.5,
        "×",
        `${Math.round(directPush.perSecond)}/s ÷ ${Math.round(bullmq.processedPerSecond)}/s${bound}`,
      ),
    );
  }
  if (fanout) {
    checks.push(
      atLeast(
        "fan-out ÷ raw sends of the same mix",
        fanout.perSecond / fanout.rawMixed.median,
        0.7,
        "×",
        `${Math.round(fanout.perSecond)}/s ÷ ${Math.round(fanout.rawMixed.median)}/s (medians; each raw run just before a fan-out)`,
      ),
    );
  }
  if (results.fanoutLocales) {
    const { oneLocale, twoLocales } = results.fanoutLocales;
    checks.push(
      atLeast(
        "fan-out in two languages ÷ in one",
        twoLocales.perSecond / oneLocale.perSecond,
        0.9,
        "×",
        `${Math.round(twoLocales.perSecond)}/s ÷ ${Math.round(oneLocale.perSecond)}/s (medians)`,
      ),
    );
  }
  if (results.fanoutBursts) {
    const { on, off } = results.fanoutBursts;
    checks.push(
      atLeast(
        "fan-out with badges and bursts on ÷ off",
        on.perSecond / off.perSecond,
        0.85,
        "×",
        `${Math.round(on.perSecond)}/s ÷ ${Math.round(off.perSecond)}/s (medians)`,
      ),
    );
  }
  if (openLoop) checks.push(openLoopCheck(openLoop));
  if (results.memory) checks.push(...memoryChecks(results.memory));
  if (results.storeComparison) checks.push(...storeChecks(results.storeComparison));
  return checks;
}

/** The scaling issue's: the api's ingest and the 1:1 pipeline as shares of a bare server's ingest. */
function floorChecks({ ingestFloor, ingest, directPush }: BenchResults): TargetCheck[] {
  if (!ingestFloor) return [];
  const share = (name: string, measured: number, target: number) =>
    atLeast(
      `${name} ÷ ingest floor`,
      measured / ingestFloor.perSecond,
      target,
      "×",
      `${Math.round(measured)}/s ÷ ${Math.round(ingestFloor.perSecond)}/s (bare node:http, verify + queue.add)`,
    );
  return [
    ...(ingest ? [share("single-event ingest", ingest.single.perSecond, 0.8)] : []),
    ...(directPush ? [share("direct push 1:1", directPush.perSecond, 0.6)] : []),
  ];
}

/** Sustained (every event accepted and arrived, none skipped) and p99 ingest → provider ≤ 100 ms. */
function openLoopCheck(openLoop: OpenLoopLatencyResult): TargetCheck {
  const lost = openLoop.accepted - openLoop.arrived + openLoop.refused + openLoop.skipped;
  const rate = openLoop.ratePerSecond.toLocaleString("en-US");
  const offTarget =
    openLoop.ratePerSecond === openLoopTargetRate
      ? ""
      : ` (not the target's ${openLoopTargetRate.toLocaleString("en-US")}/s)`;
  return atMost(
    `1:1 at ${rate} events/s${offTarget}: sustained, p99 ingest → provider`,
    lost > 0 ? Number.POSITIVE_INFINITY : openLoop.latency.p99,
    100,
    "ms",
    lost > 0
      ? `not sustained: ${lost} events refused, skipped or not arrived`
      : `sustained ${(openLoop.durationMs / 1000).toFixed(0)} s; p50 ${openLoop.latency.p50.toFixed(0)} ms`,
  );
}

/** Peak RSS ≤ 150 MB for the api and for each worker: only from a run of `dist/`, as the image runs. */
function memoryChecks(memory: PeakMemory): TargetCheck[] {
  if (memory.build !== "dist") return [];
  const megabytes = (bytes: number) => bytes / 1_000_000;
  const basis = (bytes: number) => `VmHWM ${(bytes / 1024 / 1024).toFixed(0)} MiB, node dist/cli/main.js`;
  const checks: TargetCheck[] = [];
  if (memory.api) {
    const peak = memory.api.peakRssBytes;
    checks.push(atMost("peak RSS, api process (dist/)", megabytes(peak), 150, "MB", basis(peak)));
  }
  for (const worker of memory.workers) {
    const peak = worker.peakRssBytes;
    checks.push(atMost(`peak RSS, ${worker.name} process (dist/)`, megabytes(peak), 150, "MB", basis(peak)));
  }
  return checks;
}

/** The storage issue's: each compared figure on PostgreSQL at least 0.7× the same on SQLite. */
function storeChecks(stores: StoreComparison): TargetCheck[] {
  return comparedFigures.flatMap((figure) => {
    const sqlite = figure.perSecond(stores.sqlite);
    const postgres = figure.perSecond(stores.postgres);
    if (sqlite === undefined || postgres === undefined) return [];
    return [
      atLeast(
        `PostgreSQL ÷ SQLite: ${figure.name}`,
        postgres / sqlite,
        storeTargetRatio,
        "×",
        `${Math.round(postgres)}/s ÷ ${Math.round(sqlite)}/s`,
      ),
    ];
  });
}
