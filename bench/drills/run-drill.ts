import { setTimeout as sleep } from "node:timers/promises";
import type { BenchApp } from "../client/population.js";
import type { BenchWorld } from "../harness/bench-world.js";
import { summarize } from "../load/latency.js";
import { type EventOutcomes, waitForOutcomes } from "./event-outcomes.js";
import type { Fault, FaultWindow } from "./faults.js";
import { type LoadTarget, type SentEvent, SteadyLoad } from "./steady-load.js";

export interface DrillTiming {
  ratePerSecond: number;
  /** Load before the fault, and after the recovery. */
  warmupMs: number;
  afterMs: number;
  /** How long the fault lasts. */
  holdMs: number;
  /** How long the events may take to end once the load stopped. */
  settleMs: number;
}

export interface InvariantCheck {
  name: string;
  counts: string;
  pass: boolean;
  note?: string;
}

export interface DrillReport {
  fault: string;
  title: string;
  /** Seconds from the start of the load. */
  faultFromS: number;
  faultToS: number;
  answers: Record<string, number>;
  evidence?: string;
  outcomes: EventOutcomes;
  invariants: InvariantCheck[];
}

export interface DrillContext {
  world: BenchWorld;
  directApp: LoadTarget;
  webhookApp: LoadTarget;
  timing: DrillTiming;
  /** Sends in flight at once in one worker (FCM + APNs): what a kill -9 may send again (docs/api.md §9). */
  inFlightBound: number;
}

/** Runs `fault` under a steady load of 1:1 events and checks what must hold afterwards. */
export async function runDrill(fault: Fault, context: DrillContext): Promise<DrillReport> {
  const { world, timing } = context;
  await world.sims.resetArrivals();
  const targets = fault.withWebhookApp ? [context.directApp, context.webhookApp] : [context.directApp];
  const maxMs = timing.warmupMs + timing.holdMs + timing.afterMs + 60_000;
  const load = new SteadyLoad(world.client, targets, timing.ratePerSecond, maxMs);
  const loadStarted = performance.timeOrigin + performance.now();
  await sleep(timing.warmupMs);
  const window = await fault.apply(world, timing.holdMs);
  await sleep(timing.afterMs);
  await load.stop();
  const outcomes = await waitForOutcomes(world.client, load.sent, timing.settleMs);
  await world.queues.waitForIdle(timing.settleMs).catch(() => {});
  await world.sims.flush();

  const invariants = [
    endsCompleted(outcomes),
    everyAcceptedArrived(world, load.sent),
    noDuplicates(world, load.sent, fault.name === "worker-kill" ? context.inFlightBound : 0),
  ];
  if (fault.name === "redis-restart") invariants.push(refusedWhileDown(load.sent, window));
  if (fault.withWebhookApp)
    invariants.push(otherAppUnaffected(world, load.sent, context.directApp.app, window));
  invariants.push(...(window.checks ?? []));
  return {
    fault: fault.name,
    title: fault.title,
    faultFromS: (window.from - loadStarted) / 1000,
    faultToS: (window.to - loadStarted) / 1000,
    answers: countAnswers(load.sent),
    evidence: window.evidence,
    outcomes,
    invariants,
  };
}

function countAnswers(sent: SentEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of sent) {
    const key = event.status === 0 ? "no answer" : String(event.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

function endsCompleted(outcomes: EventOutcomes): InvariantCheck {
  return {
    name: "every 202 ends completed (expired apart)",
    counts:
      `${outcomes.completed} completed, ${outcomes.expired} expired, ${outcomes.failed} failed, ` +
      `${outcomes.unfinished} unfinished of ${outcomes.accepted}`,
    pass: outcomes.failed === 0 && outcomes.unfinished === 0,
  };
}

function everyAcceptedArrived(world: BenchWorld, sent: SentEvent[]): InvariantCheck {
  const arrived = world.sims.arrivals.firstByEvent();
  const accepted = sent.filter((event) => event.status === 202);
  const missing = accepted.filter((event) => !arrived.has(event.eventId)).length;
  return {
    name: "every 202 reaches its device",
    counts: `${accepted.length - missing} of ${accepted.length} arrived`,
    pass: missing === 0,
  };
}

/** Direct push (docs/api.md §9) lets a kill -9 send again what was in flight at that instant, and no more. */
function noDuplicates(world: BenchWorld, sent: SentEvent[], allowedInFlight: number): InvariantCheck {
  const ours = new Set(sent.map((event) => event.eventId));
  const pairs = [...world.sims.arrivals.duplicates().keys()].filter((key) =>
    ours.has(key.split("\u0000")[1] ?? ""),
  );
  const twice = pairs.length;
  return {
    name: "no token gets the same event twice",
    counts: `${twice} (token, event) pairs delivered more than once`,
    pass: twice <= allowedInFlight,
    note:
      twice > 0 && twice <= allowedInFlight
        ? `within the ${allowedInFlight} sends a worker may have in flight at a kill (docs/api.md §9)`
        : undefined,
  };
}

function refusedWhileDown(sent: SentEvent[], window: FaultWindow): InvariantCheck {
  const during = sent.filter(
    (event) => event.sentAt >= window.from && event.answeredAt > 0 && event.answeredAt <= window.to,
  );
  const answered = (status: number) => during.filter((event) => event.status === status).length;
  const other = during.length - answered(202) - answered(503);
  const firstAcceptedAfter = Math.min(
    ...sent
      .filter((event) => event.status === 202 && event.sentAt >= window.to)
      .map((event) => event.answeredAt),
  );
  return {
    name: "503, never 202, while Redis is down",
    counts: `${answered(503)} × 503, ${answered(202)} × 202, ${other} other, of ${during.length} sent while down`,
    pass: answered(202) === 0 && answered(503) > 0 && other === 0,
    note: Number.isFinite(firstAcceptedAfter)
      ? `202 again ${((firstAcceptedAfter - window.to) / 1000).toFixed(1)} s after the restart began`
      : "no 202 after the restart while the load ran",
  };
}

function otherAppUnaffected(
  world: BenchWorld,
  sent: SentEvent[],
  directApp: BenchApp,
  window: FaultWindow,
): InvariantCheck {
  const limitMs = 1000;
  const arrived = world.sims.arrivals.firstByEvent();
  const latencies = (from: number, to: number) =>
    sent
      .filter((event) => event.app === directApp && event.status === 202)
      .filter((event) => event.sentAt >= from && event.sentAt <= to)
      .map((event) => (arrived.get(event.eventId)?.at ?? Number.POSITIVE_INFINITY) - event.sentAt);
  const during = latencies(window.from, window.to);
  const summary = summarize(during);
  // The last second before the fault: the warmup's first events also pay for cold connections.
  const before = summarize(latencies(window.from - 1000, window.from));
  return {
    name: "the direct-mode app is not held up",
    counts:
      `${during.length} events during the fault: p50 ${summary.p50.toFixed(0)} ms, p99 ${summary.p99.toFixed(0)} ms ` +
      `(the second before: p50 ${before.p50.toFixed(0)} ms, p99 ${before.p99.toFixed(0)} ms)`,
    pass: during.length > 0 && summary.p99 <= limitMs,
    note: `p99 at most ${limitMs} ms`,
  };
}
