import type { StatusCallbackType } from "../../domain/apps/app.js";
import type { EventRepository } from "../../domain/events/event-repository.js";
import type { RunLedger } from "../run-ledger.js";
import type { StatusCallbacks } from "./status-callbacks.js";

/**
 * Tells an app that asked for `event.completed` or `event.failed` when an event's run ends.
 * The ledger completes a run inside the report that closes its last job, and does not say
 * so: after a report that counted, the event is read once, and only for an app that wants
 * the callback.
 */
export class RunEndCallbacks {
  constructor(
    private readonly runs: Pick<EventRepository, "find">,
    private readonly callbacks: StatusCallbacks,
  ) {}

  /** `ledger`, its reports followed by the callback of the run they end. */
  ledger(ledger: RunLedger): RunLedger {
    return {
      currentRun: (appId, id, run) => ledger.currentRun(appId, id, run),
      find: (appId, id) => ledger.find(appId, id),
      recordAudience: async (appId, id, run, audience) => {
        const recording = await ledger.recordAudience(appId, id, run, audience);
        if (recording === "recorded") await this.afterReport(appId, id, run, "event.completed");
        return recording;
      },
      recordJobDone: async (appId, id, run, report) => {
        const counted = await ledger.recordJobDone(appId, id, run, report);
        if (counted) await this.afterReport(appId, id, run, "event.completed");
        return counted;
      },
    };
  }

  /** `markFailed` followed by the `event.failed` callback. */
  failures(runs: Pick<EventRepository, "markFailed">): Pick<EventRepository, "markFailed"> {
    return {
      markFailed: async (appId, id, run, error) => {
        await runs.markFailed(appId, id, run, error);
        await this.afterReport(appId, id, run, "event.failed");
      },
    };
  }

  private async afterReport(appId: string, id: string, run: number, type: StatusCallbackType): Promise<void> {
    const app = await this.callbacks.appWanting(appId, type);
    if (!app) return;
    const record = await this.runs.find(appId, id);
    // A run still processing is not over; one replayed since is another run's to report.
    if (record?.run === run) await this.callbacks.runEnded(app, record);
  }
}
