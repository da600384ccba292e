import { setTimeout as sleep } from "node:timers/promises";
import { now } from "../client/gateway-client.js";

export interface OpenLoopOptions {
  ratePerSecond: number;
  durationMs: number;
  /** A send due while this many are unanswered is skipped (and counted), never queued. */
  maxInFlight: number;
  /** `intendedAt`: when the schedule wanted it sent, so that a late start counts as latency. */
  task: (index: number, intendedAt: number) => Promise<void>;
  /** Waiting for the last answers stops after this. */
  drainTimeoutMs?: number;
  /** Ends the schedule early (it never runs past `durationMs`). */
  signal?: AbortSignal;
}

export interface OpenLoopResult {
  scheduled: number;
  skipped: number;
  completed: number;
  failed: number;
  firstError?: string;
  elapsedMs: number;
}

/** Starts tasks at a fixed rate whatever the answers do (no coordinated omission), for a bounded time. */
export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const interval = 1000 / options.ratePerSecond;
  const started = now();
  const result: OpenLoopResult = { scheduled: 0, skipped: 0, completed: 0, failed: 0, elapsedMs: 0 };
  const inFlight = new Set<Promise<void>>();
  for (;;) {
    const elapsed = now() - started;
    if (elapsed >= options.durationMs || options.signal?.aborted) break;
    const due = Math.min(Math.floor(elapsed / interval) + 1, Math.ceil(options.durationMs / interval));
    while (result.scheduled < due) {
      const index = result.scheduled++;
      if (inFlight.size >= options.maxInFlight) {
        result.skipped += 1;
        continue;
      }
      const running = options.task(index, started + index * interval).then(
        () => {
          result.completed += 1;
        },
        (error: unknown) => {
          result.failed += 1;
          result.firstError ??= error instanceof Error ? error.message : String(error);
        },
      );
      inFlight.add(running);
      void running.finally(() => inFlight.delete(running));
    }
    await sleep(1);
  }
  await Promise.race([Promise.all(inFlight), sleep(options.drainTimeoutMs ?? 30_000)]);
  result.elapsedMs = now() - started;
  return result;
}
