import type { App } from "../domain/apps/app.js";
import type { AppRepository } from "../domain/apps/app-repository.js";
import type { LiveEvent } from "../domain/events/live-event.js";
import type { RunRef } from "./jobs.js";
import type { RunLedger } from "./run-ledger.js";

/** How a stage finds the app of its job. */
export type AppLookup = Pick<AppRepository, "findById">;

/**
 * The app and event of a queued job's run, or null when there is nothing left to do: the app
 * was deleted, or the event was replayed since (the new run has jobs of its own).
 */
export async function currentRunOf(
  apps: AppLookup,
  runs: Pick<RunLedger, "find">,
  ref: RunRef,
): Promise<{ app: App; event: LiveEvent } | null> {
  const app = await apps.findById(ref.appId);
  const record = await runs.find(ref.appId, ref.eventId);
  if (!app || !record || record.run !== ref.run) return null;
  return { app, event: record.payload };
}
