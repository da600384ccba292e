import type { ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** True once the child has exited, false when `timeoutMs` passed first. */
export async function exitWithin(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return true;
  const exited = new Promise<true>((resolve) => child.once("exit", () => resolve(true)));
  return Promise.race([exited, sleep(timeoutMs, false)]);
}

/** Sends `signal` and waits for the exit; past `graceMs` the child gets SIGKILL. */
export async function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals = "SIGTERM",
  graceMs = 15_000,
): Promise<void> {
  if (hasExited(child)) return;
  child.kill(signal);
  if (await exitWithin(child, graceMs)) return;
  child.kill("SIGKILL");
  await exitWithin(child, graceMs);
}

/** Polls `check` every `intervalMs` until it holds; throws `what` after `timeoutMs`. */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs: number,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}
