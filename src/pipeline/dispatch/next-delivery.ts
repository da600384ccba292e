import type { PushTarget } from "../../providers/push-provider.js";
import type { DeliveryJob, Scheduled } from "../jobs.js";
import type { DeliveryResult } from "./chunk-delivery.js";

/** The next attempt of a delivery job, to `targets` only, under an id derived from the job's. */
export function retryOf(
  job: DeliveryJob,
  jobId: string,
  targets: PushTarget[],
  delayMs: number,
): Scheduled<DeliveryJob> {
  return {
    job: { ...job, userIds: undefined, targets, attempt: job.attempt + 1 },
    jobId: `${jobId}/retry`,
    delayMs,
  };
}

/**
 * What follows a delivery, given whether its report counted. A job whose report an earlier run
 * had recorded (a crash between that report and queueing its retry) must still queue the retry
 * the report opened, or the event would never complete; that retry goes to every target this
 * run found without a result, so the ones this run reached are counted there, from the ledger,
 * and the ones still failing are tried again. Harmless when the report opened no retry.
 */
export function nextDelivery(
  job: DeliveryJob,
  jobId: string,
  result: DeliveryResult,
  reported: boolean,
): Scheduled<DeliveryJob> | null {
  // An empty retry that runs twice ends the chain.
  if (reported || job.targets?.length === 0) return result.retry;
  return retryOf(job, jobId, result.unsettled, result.retry?.delayMs ?? 0);
}
