import type { App } from "../../domain/apps/app.js";
import type { EventRepository, QueuedRun } from "../../domain/events/event-repository.js";
import type { EventQueue } from "./event-intake.js";

/** The queue as the sweep sees it: whether it holds a run's job, and a way to queue one again. */
export interface SweptQueue extends EventQueue {
  /** Of these runs, those the queue holds no job of, in any state. */
  missing(runs: QueuedRun[]): Promise<QueuedRun[]>;
}

export interface LostEventSweepOptions {
  /** How long a claim may go without its job before it counts as lost: the intake queues within milliseconds. */
  graceMs: number;
  /** Runs looked at per app and sweep, oldest first. */
  perAppLimit: number;
}

/**
 * Queues again the events claimed as queued whose job is nowhere: the intake died between
 * claiming and queueing, or Redis lost its last writes (a failover to a replica behind it).
 * The database says what was accepted; a job queued again under its own id is harmless when
 * the first one turns up. Answers how many were queued again.
 */
export async function requeueLostEvents(
  apps: { list(): Promise<Pick<App, "id">[]> },
  events: Pick<EventRepository, "queuedBefore">,
  queue: SweptQueue,
  now: Date,
  options: LostEventSweepOptions,
): Promise<number> {
  const before = new Date(now.getTime() - options.graceMs);
  let requeued = 0;
  for (const app of await apps.list()) {
    const stale = await events.queuedBefore(app.id, before, options.perAppLimit);
    if (stale.length === 0) continue;
    const lost = await queue.missing(stale);
    for (const [run, ids] of idsByRun(lost)) await queue.enqueue(app.id, ids, run);
    requeued += lost.length;
  }
  return requeued;
}

function idsByRun(runs: QueuedRun[]): Map<number, string[]> {
  const byRun = new Map<number, string[]>();
  for (const { id, run } of runs) byRun.set(run, [...(byRun.get(run) ?? []), id]);
  return byRun;
}
