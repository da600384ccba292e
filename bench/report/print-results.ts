import { type CpuByProcess, describeCpuByProcess } from "../harness/process-cpu.js";
import type { LatencySummary } from "../load/latency.js";
import type { FanoutResult } from "../scenarios/fanout.js";
import type { IngestRate } from "../scenarios/ingest.js";
import type { OpenLoopLatencyResult } from "../scenarios/open-loop-latency.js";
import {
  type BenchResults,
  comparedFigures,
  type ScalingRun,
  type StoreComparison,
  storeTargetRatio,
} from "./bench-results.js";
import { capacityHeader, capacityRows, capacityTitle } from "./capacity-rows.js";
import { formatMarkdownTable, formatTable, mib, ms, perSecond, ratio } from "./table.js";
import type { TargetCheck } from "./targets.js";

const latency = (summary: LatencySummary) => `p50 ${ms(summary.p50)}, p99 ${ms(summary.p99)}`;
const cpuPerEvent = (cpu: CpuByProcess) => `; CPU/event ${describeCpuByProcess(cpu)}`;
const serverCpu = (rate: IngestRate) => cpuPerEvent(rate.cpu);

function openLoopRow(run: OpenLoopLatencyResult): string[] {
  const shortfall = run.skipped + run.refused > 0 ? `; ${run.skipped} skipped, ${run.refused} refused` : "";
  return [
    `open loop at ${run.ratePerSecond}/s, ingest → provider`,
    `p99 ${ms(run.latency.p99)}`,
    `${run.arrived}/${run.accepted} arrived in ${(run.durationMs / 1000).toFixed(0)} s; p50 ${ms(run.latency.p50)}, ` +
      `max ${ms(run.latency.max)}; 202 p99 ${ms(run.ingestLatency.p99)}${shortfall}`,
  ];
}

/** Rows of figure, value, detail for every part of the run that took place. */
export function figureRows(results: BenchResults): string[][] {
  const rows: string[][] = [];
  const { bullmq, providers, registration, ingest, directPush, openLoop, fanout, webhookRelay, memory } =
    results;
  if (bullmq) {
    rows.push([
      "ceiling: BullMQ no-op jobs",
      perSecond(bullmq.processedPerSecond),
      `${bullmq.jobs} jobs, 1 Worker × ${bullmq.concurrency}; addBulk ${perSecond(bullmq.addedPerSecond)}`,
    ]);
    rows.push([
      "ceiling: BullMQ two no-op stages",
      perSecond(bullmq.twoStagePerSecond),
      "stage 1 adds one job to stage 2, as events → deliveries",
    ]);
  }
  if (providers) {
    rows.push([
      "ceiling: firebase-admin sends",
      perSecond(providers.fcm.perSecond),
      `${providers.fcm.sends} tokens`,
    ]);
    rows.push([
      "ceiling: node-apn sends",
      perSecond(providers.apns.perSecond),
      `${providers.apns.sends} tokens`,
    ]);
    rows.push([
      "ceiling: web-push sends",
      perSecond(providers.webpush.perSecond),
      `${providers.webpush.sends} subscriptions (VAPID, aes128gcm)`,
    ]);
    rows.push([
      "ceiling: sends, FCM and APNs, one in ten Web Push",
      perSecond(providers.mixed.perSecond),
      `${providers.mixed.sends} tokens`,
    ]);
  }
  if (registration) {
    rows.push([
      `population: sign-in + registration (${registration.via === "http" ? "client API" : "in the store"})`,
      perSecond(registration.perSecond),
      `${registration.devices} sign-ins + registrations: the users of the 1:1, open-loop and fan-out figures`,
    ]);
  }
  if (results.ingestFloor) {
    const floor = results.ingestFloor;
    rows.push([
      "ingest floor: bare node:http, verify + queue.add (202)",
      perSecond(floor.perSecond),
      `${floor.accepted} events, the same client and concurrency as single-event ingest; ${latency(floor.latency)}${serverCpu(floor)}`,
    ]);
  }
  if (ingest) {
    rows.push([
      "ingest: single events (202)",
      perSecond(ingest.single.perSecond),
      `${ingest.single.accepted} events, ${ingest.concurrency} clients; ${latency(ingest.single.latency)}${serverCpu(ingest.single)}`,
    ]);
    rows.push([
      "ingest: batched events (202)",
      perSecond(ingest.batch.perSecond),
      `${ingest.batch.accepted} events in batches of ${ingest.batch.batchSize}; per batch ${latency(ingest.batch.latency)}${serverCpu(ingest.batch)}`,
    ]);
  }
  if (results.deviceRegistration) {
    const run = results.deviceRegistration;
    rows.push([
      "device registration (client API)",
      perSecond(run.perSecond),
      `${run.devices} devices, ${run.concurrency} clients; ${latency(run.latency)}; ` +
        `sign-ins before it ${perSecond(run.signInsPerSecond)}`,
    ]);
  }
  if (directPush) {
    rows.push([
      "direct push 1:1, end to end",
      perSecond(directPush.perSecond),
      `${directPush.arrived}/${directPush.accepted} arrived, ${directPush.concurrency} clients; ${latency(directPush.latency)}${cpuPerEvent(directPush.cpu)}`,
    ]);
  }
  for (const run of [results.openLoopSteady, openLoop]) if (run) rows.push(openLoopRow(run));
  if (fanout) {
    rows.push([
      `fan-out to ${fanout.members.toLocaleString("en-US")} members`,
      perSecond(fanout.perSecond),
      `${fanout.arrived} arrived; first after ${ms(fanout.firstArrivalMs)}, last after ${ms(fanout.lastArrivalMs)}` +
        (fanout.runs.length > 1 ? `; median of ${fanout.runs.map(perSecond).join(", ")}` : ""),
    ]);
    rows.push([
      "raw sends of the same mix, next to it",
      perSecond(fanout.rawMixed.median),
      `${fanout.members} tokens per run` +
        (fanout.rawMixed.runs.length > 1
          ? `; median of ${fanout.rawMixed.runs.map(perSecond).join(", ")}`
          : ""),
    ]);
  }
  const compared: (readonly [string, FanoutResult])[] = [
    ...(results.fanoutLocales
      ? ([
          ["fan-out, template in one language", results.fanoutLocales.oneLocale],
          ["fan-out, template in two languages", results.fanoutLocales.twoLocales],
        ] as const)
      : []),
    ...(results.fanoutBursts
      ? ([
          ["fan-out, badges and bursts on", results.fanoutBursts.on],
          ["fan-out, badges and bursts off", results.fanoutBursts.off],
        ] as const)
      : []),
  ];
  for (const [label, run] of compared) {
    rows.push([
      `${label} (${run.members.toLocaleString("en-US")} members)`,
      perSecond(run.perSecond),
      `${run.arrived} arrived; last after ${ms(run.lastArrivalMs)}` +
        (run.runs.length > 1 ? `; median of ${run.runs.map(perSecond).join(", ")}` : ""),
    ]);
  }
  if (webhookRelay) {
    rows.push([
      "webhook relay (customer answers send)",
      perSecond(webhookRelay.perSecond),
      `${webhookRelay.arrived}/${webhookRelay.accepted} arrived; ${latency(webhookRelay.latency)}`,
    ]);
  }
  if (results.scaling) rows.push(...scalingRows(results.scaling.runs, results.database));
  if (memory) {
    const from =
      memory.build === "dist"
        ? "VmHWM; run from dist/ as the image runs it"
        : "VmHWM; run under tsx, which compiles at start: the ≤ 150 MB target is checked with --dist";
    rows.push(["peak RSS, api process", memory.api ? mib(memory.api.peakRssBytes) : "?", from]);
    for (const worker of memory.workers) {
      rows.push([`peak RSS, ${worker.name} process`, mib(worker.peakRssBytes), from]);
    }
  }
  return rows;
}

function scalingRows(runs: ScalingRun[], database: BenchResults["database"]): string[][] {
  const rows: string[][] = [];
  for (const run of runs) {
    const processes = `${run.workers} worker process${run.workers === 1 ? "" : "es"}`;
    rows.push([
      `${processes}: direct push 1:1`,
      perSecond(run.directPush.perSecond),
      `${run.directPush.arrived}/${run.directPush.accepted} arrived on ${database}; ${latency(run.directPush.latency)}`,
    ]);
    rows.push([
      `${processes}: a backlog of 1:1 worked off`,
      perSecond(run.drain.perSecond),
      `${run.drain.arrived}/${run.drain.events} arrived ${ms(run.drain.drainMs)} after the workers resumed`,
    ]);
    rows.push([
      `${processes}: fan-out to ${run.fanout.members.toLocaleString("en-US")}`,
      perSecond(run.fanout.perSecond),
      `${run.fanout.arrived} arrived; raw sends of the mix ${perSecond(run.fanout.rawMixed.median)}`,
    ]);
  }
  const [one, two] = runs;
  if (one && two) {
    const factor = (figure: (run: ScalingRun) => number) => `${ratio(figure(two) / figure(one))}×`;
    rows.push([
      `scaling factor, ${two.workers} ÷ ${one.workers} workers`,
      factor((run) => run.directPush.perSecond),
      `direct push 1:1; backlog ${factor((run) => run.drain.perSecond)}; fan-out ${factor((run) => run.fanout.perSecond)}`,
    ]);
  }
  return rows;
}

const storeHeader = ["figure", "SQLite", "PostgreSQL", "PostgreSQL ÷ SQLite", "target"];

/** The compared figures side by side: SQLite, PostgreSQL, the ratio and its target. */
export function storeRows(stores: StoreComparison): string[][] {
  return comparedFigures.flatMap((figure) => {
    const sqlite = figure.perSecond(stores.sqlite);
    const postgres = figure.perSecond(stores.postgres);
    if (sqlite === undefined || postgres === undefined) return [];
    const share = postgres / sqlite;
    return [
      [
        figure.name,
        perSecond(sqlite),
        perSecond(postgres),
        `${ratio(share)}×`,
        `≥ ${storeTargetRatio}× ${share >= storeTargetRatio ? "PASS" : "MISS"}`,
      ],
    ];
  });
}

/** What the run says about the stores: the side-by-side table's title, or why there is none. */
function storeTitle(results: BenchResults): string | undefined {
  if (results.storeComparison) {
    return `SQLite and PostgreSQL (${results.storeComparison.postgresServer}, a fresh database), same sizes:`;
  }
  return results.storeComparisonSkipped;
}

/** A ratio bare, as `0.85`; anything else with its unit, as `12 ms` or `140 MB`. */
function withUnit(value: number, unit: string): string {
  if (unit === "ms") return ms(value);
  if (unit === "×") return ratio(value);
  return `${value.toFixed(0)} ${unit}`;
}

export function targetRows(checks: TargetCheck[]): string[][] {
  return checks.map((check) => [
    check.name,
    Number.isFinite(check.measured) ? withUnit(check.measured, check.unit) : "—",
    `${check.comparison === "at least" ? "≥" : "≤"} ${check.unit === "×" ? check.target : withUnit(check.target, check.unit)}`,
    check.pass ? "PASS" : "MISS",
    check.basis,
  ]);
}

export function printResults(results: BenchResults): string {
  const parts = [formatTable(["figure", "value", "detail"], figureRows(results))];
  const title = storeTitle(results);
  if (title) parts.push(title);
  if (results.storeComparison) parts.push(formatTable(storeHeader, storeRows(results.storeComparison)));
  const capacity = results.scaling?.capacity;
  if (capacity) parts.push(capacityTitle(capacity), formatTable(capacityHeader, capacityRows(capacity)));
  if (results.targets.length > 0) {
    parts.push(formatTable(["target", "measured", "target", "", "basis"], targetRows(results.targets)));
  }
  return parts.join("\n\n");
}

/** The tables in Markdown (for docs/performance.md). */
export function markdownResults(results: BenchResults): string {
  const tables = [formatMarkdownTable(["figure", "value", "detail"], figureRows(results))];
  const title = storeTitle(results);
  if (title) tables.push(title);
  if (results.storeComparison) {
    tables.push(formatMarkdownTable(storeHeader, storeRows(results.storeComparison), [1, 2, 3]));
  }
  const capacity = results.scaling?.capacity;
  if (capacity) {
    tables.push(
      capacityTitle(capacity),
      formatMarkdownTable(capacityHeader, capacityRows(capacity), [1, 2, 3, 4, 5]),
    );
  }
  if (results.targets.length > 0) {
    tables.push(
      formatMarkdownTable(["target", "measured", "target", "", "basis"], targetRows(results.targets)),
    );
  }
  return tables.join("\n\n");
}
