import { now } from "../client/gateway-client.js";

export interface ClosedLoopOptions {
  total: number;
  /** Tasks in flight at once: each client sends its next request when its answer is in. */
  concurrency: number;
  /** No new task starts after this; the result says the loop timed out. */
  timeoutMs: number;
  task: (index: number) => Promise<void>;
}

export interface LoopResult {
  completed: number;
  failed: number;
  firstError?: string;
  elapsedMs: number;
  timedOut: boolean;
}

/** Runs `total` tasks with at most `concurrency` at once, each started when another ends. */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<LoopResult> {
  const started = now();
  const deadline = started + options.timeoutMs;
  const result: LoopResult = { completed: 0, failed: 0, elapsedMs: 0, timedOut: false };
  let next = 0;
  const client = async () => {
    while (next < options.total) {
      if (now() > deadline) {
        result.timedOut = true;
        return;
      }
      const index = next++;
      try {
        await options.task(index);
        result.completed += 1;
      } catch (error) {
        result.failed += 1;
        result.firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.total) }, client));
  result.elapsedMs = now() - started;
  return result;
}
