import type { JobReport, RunAudience } from "../../domain/events/event-repository.js";
import type { JobQueue, RunRef, Scheduled } from "../jobs.js";
import type { RunLedger } from "../run-ledger.js";

/**
 * What a stage tells its run before it queues anything: the jobs that follow it, or the
 * report of a delivery it made itself (whose `followUps` name its retry).
 */
export type StageReport = { opens: string[] } | { delivered: JobReport };

/**
 * What became of a report: it counted; an earlier run of the same job had recorded it (the
 * worker died after the report, before it queued what follows); or the run is no longer
 * current (replayed or finished), and nothing may follow.
 */
export type Recording = "recorded" | "reported-before" | "not-current";

/** Records a stage's report in its run, as the job that made it. */
export interface RunReporter {
  record(report: StageReport): Promise<Recording>;
}

/** The event stage reports the audience it found, with the jobs it opens or the delivery it made. */
export function audienceReporter(
  runs: Pick<RunLedger, "recordAudience">,
  ref: RunRef,
  audience: Omit<RunAudience, "jobIds" | "delivered">,
): RunReporter {
  return {
    record: (report) =>
      runs.recordAudience(
        ref.appId,
        ref.eventId,
        ref.run,
        "delivered" in report
          ? { ...audience, jobIds: [], delivered: report.delivered }
          : { ...audience, jobIds: report.opens },
      ),
  };
}

/**
 * A queued job reports by closing itself: with the counts of the delivery it made, or with
 * none and the jobs that follow it. A job's report counts once, however often it runs.
 */
export function jobReporter(runs: Pick<RunLedger, "recordJobDone">, ref: RunRef, jobId: string): RunReporter {
  return {
    async record(report) {
      const closing: JobReport =
        "delivered" in report
          ? { ...report.delivered, jobId }
          : {
              jobId,
              counts: { sent: 0, failed: 0, invalidTokens: 0, expired: 0, silenced: 0, folded: 0 },
              newTokens: 0,
              followUps: report.opens,
            };
      const counted = await runs.recordJobDone(ref.appId, ref.eventId, ref.run, closing);
      return counted ? "recorded" : "reported-before";
    },
  };
}

/**
 * Records that `jobs` follow, then queues them. The run expects them before they can report;
 * a worker that dies in between leaves them recorded, and its job, run again, queues them
 * again under the same ids.
 */
export async function queueAfterReport<Job>(
  reporter: RunReporter,
  queue: JobQueue<Job>,
  jobs: Scheduled<Job>[],
): Promise<void> {
  const recording = await reporter.record({ opens: jobs.map((entry) => entry.jobId) });
  if (recording !== "not-current") await queue.add(jobs);
}
