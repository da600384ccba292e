import type { App } from "../../domain/apps/app.js";
import type { TokenDirectory } from "../../domain/audience/audience.js";
import type { LiveEvent } from "../../domain/events/live-event.js";
import {
  type DeliveryJob,
  type DeliveryQueue,
  type QueuedMessage,
  type ReceiptJob,
  type ReceiptQueue,
  type RunRef,
  runOf,
  type Scheduled,
} from "../jobs.js";
import type { ChunkDelivery, DeliveryResult } from "./chunk-delivery.js";
import { inlineDelivery, planFanout, silentMessage } from "./fanout-plan.js";
import { nextDelivery } from "./next-delivery.js";
import { queueAfterReport, type RunReporter } from "./run-reports.js";

export interface DispatchOptions {
  /** Recipients per delivery job. */
  fanoutChunkSize: number;
  /**
   * Audiences up to this many recipients are sent by the job that planned them, not by a
   * delivery job: a direct message then costs one job instead of two. 0 queues every audience.
   */
  inlineDeliveryMaxRecipients: number;
  /** How long after a delivery its receipts (Expo) are asked for. */
  receiptDelayMs: number;
}

/** A notification a stage has decided to send, to whom; no message sends nothing. */
export interface Fanout {
  ref: RunRef;
  /** The run's event: what a folded notification's wording and whom a message mentions come from. */
  event: LiveEvent;
  message: QueuedMessage | null;
  recipientIds: string[];
  /** Those of `recipientIds` that get the message without sound (snooze or quiet hours, `quiet_delivery: silent`). */
  silentRecipientIds: string[];
  /** Names the fan-out's jobs, so the fan-outs of different stages of a run never share an id. */
  label: string;
}

/**
 * The one way a notification reaches devices, whichever stage decided to send it (the event
 * stage in direct mode, the webhook stage after the customer's answer, a queued delivery job):
 *
 *   plan the fan-out → send it here (a small audience) or cut it into delivery jobs
 *   → record the report in the run → queue what follows (the chunks, or a retry).
 *
 * The order is what makes a crash harmless. A report is recorded before anything it announces
 * is queued, so no job reports to a run that does not expect it; a job run again after a crash
 * sends only to tokens without a result in the delivery ledger, its report counts once, and
 * it still queues what its first report announced.
 */
export class Dispatcher {
  constructor(
    private readonly chunks: Pick<ChunkDelivery, "send">,
    private readonly deliveries: DeliveryQueue,
    private readonly receipts: ReceiptQueue,
    private readonly reachable: Pick<TokenDirectory, "usersWithTokens">,
    private readonly options: DispatchOptions,
  ) {}

  async fanOut(app: App, fanout: Fanout, reporter: RunReporter): Promise<void> {
    const { ref, event, message, label } = fanout;
    const silent = new Set(fanout.silentRecipientIds);
    const recipientIds = message ? await this.withDevices(ref.appId, fanout.recipientIds) : [];
    const audible = recipientIds.filter((userId) => !silent.has(userId));
    const quiet = recipientIds.filter((userId) => silent.has(userId));
    const { fanoutChunkSize } = this.options;
    const jobs = message
      ? [
          ...planFanout(ref, message, audible, fanoutChunkSize, label),
          ...planFanout(ref, silentMessage(message), quiet, fanoutChunkSize, `${label}-silent`),
        ]
      : [];
    const inline = inlineDelivery(jobs, recipientIds.length, this.options.inlineDeliveryMaxRecipients);
    if (inline) return this.deliver(app, event, inline, reporter);
    return queueAfterReport(reporter, this.deliveries, jobs);
  }

  /**
   * An audience of more than one chunk is cut down to the users who have a device first: a
   * 100,000-member channel whose members mostly have none must not queue 200 empty jobs. One
   * chunk or fewer costs one lookup either way, so it is sent as it is.
   */
  private async withDevices(appId: string, userIds: string[]): Promise<string[]> {
    if (userIds.length <= this.options.fanoutChunkSize) return userIds;
    const reachable = new Set(await this.reachable.usersWithTokens(appId, userIds));
    return userIds.filter((userId) => reachable.has(userId));
  }

  /** Sends one delivery (a chunk, inline or from the queue, or a retry), reports it, queues its retry. */
  async deliver(
    app: App,
    event: LiveEvent,
    delivery: Scheduled<DeliveryJob>,
    reporter: RunReporter,
  ): Promise<void> {
    const { job, jobId } = delivery;
    const result = await this.chunks.send(app, event, job, jobId);
    const recording = await reporter.record({ delivered: result.report });
    if (recording === "not-current") return;
    const next = nextDelivery(job, jobId, result, recording === "recorded");
    if (next) await this.deliveries.add([next]);
    await this.receipts.add(receiptChecks(job, jobId, result, this.options.receiptDelayMs));
  }
}

/**
 * The receipt checks a delivery opens, one per provider, under an id derived from the job's. A
 * crash before they are queued loses them: a dead token is then found at its next send instead.
 */
function receiptChecks(
  job: DeliveryJob,
  jobId: string,
  result: DeliveryResult,
  delayMs: number,
): Scheduled<ReceiptJob>[] {
  const byProvider = new Map<ReceiptJob["provider"], ReceiptJob["tickets"]>();
  for (const { provider, token, receipt } of result.receipts) {
    const tickets = byProvider.get(provider) ?? [];
    tickets.push({ token, receipt });
    byProvider.set(provider, tickets);
  }
  return [...byProvider].map(([provider, tickets]) => ({
    job: { ...runOf(job), provider, tickets },
    jobId: `${jobId}/receipts/${provider}`,
    delayMs,
  }));
}
