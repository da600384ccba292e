import { type AppLookup, currentRunOf } from "./current-run.js";
import type { Dispatcher } from "./dispatch/dispatcher.js";
import { jobReporter } from "./dispatch/run-reports.js";
import type { DeliveryJob } from "./jobs.js";
import type { RunLedger } from "./run-ledger.js";

export interface DeliveryProcessorParts {
  apps: AppLookup;
  runs: Pick<RunLedger, "find" | "recordJobDone">;
  dispatcher: Pick<Dispatcher, "deliver">;
}

/** A delivery job from the queue (a fan-out's chunk or a retry), for its run if still current. */
export class DeliveryProcessor {
  constructor(private readonly parts: DeliveryProcessorParts) {}

  async process(job: DeliveryJob, jobId: string): Promise<void> {
    const { apps, runs, dispatcher } = this.parts;
    const current = await currentRunOf(apps, runs, job);
    if (!current) return;
    await dispatcher.deliver(current.app, current.event, { job, jobId }, jobReporter(runs, job, jobId));
  }
}
