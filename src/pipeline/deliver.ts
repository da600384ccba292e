import type { App } from "../domain/apps/app.js";
import type { TokenDirectory } from "../domain/audience/audience.js";
import type { DeliveryCounts } from "../domain/events/event-record.js";
import type { JobReport } from "../domain/events/event-repository.js";
import type { PushMessage, PushOutcome, PushSender, PushTarget } from "../providers/push-provider.js";
import type { Store } from "../storage/store.js";
import { type DeliveryLedger, settlesEveryRun, type TokenResult } from "./delivery-ledger.js";
import type { DeliveryJob, DeliveryQueue, Scheduled } from "./jobs.js";
import { type RetryPolicyOptions, retryDelayMs } from "./retry-policy.js";
import { selectTargets } from "./stages/targets.js";

/** How long a token's result is remembered after the notification expired. */
const ledgerGraceMs = 24 * 3_600_000;

export interface DeliveryObserver {
  outcome(provider: PushTarget["provider"], outcome: PushOutcome["status"] | "expired"): void;
}

function emptyCounts(): DeliveryCounts {
  return { sent: 0, failed: 0, invalidTokens: 0, expired: 0 };
}

function countResult(counts: DeliveryCounts, result: TokenResult): void {
  if (result === "sent") counts.sent++;
  else if (result === "invalid") counts.invalidTokens++;
  else if (result === "failed") counts.failed++;
  else counts.expired++;
}

/** What one delivery reports, and the job that retries its transient failures. */
export interface DeliveryResult {
  report: JobReport;
  retry: Scheduled<DeliveryJob> | null;
  /** The targets that had no result when the job began: the ones it sent to. */
  unsettled: PushTarget[];
}

function retryJobId(jobId: string): string {
  return `${jobId}/retry`;
}

/**
 * What follows a job, given whether its report counted. A job whose report an earlier run had
 * recorded (a crash between that report and queueing its retry) must still queue the retry the
 * report opened, or the event would never complete; that retry goes to every target this run
 * found without a result, so the ones this run reached are counted there, from the ledger,
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
  return {
    job: { ...job, userIds: undefined, targets: result.unsettled, attempt: job.attempt + 1 },
    jobId: retryJobId(jobId),
    delayMs: result.retry?.delayMs ?? 0,
  };
}

/** Sends one delivery job's notification without queueing it (`DeliveryProcessor.send`). */
export interface InlineDelivery {
  send(app: App, job: DeliveryJob, jobId: string): Promise<DeliveryResult>;
}

/**
 * One delivery job: the chunk's tokens, minus those that already have a result, sent
 * through the providers. Dead tokens are removed, transient failures retried for
 * those tokens only until the notification expires (SPEC §7).
 */
export class DeliveryProcessor {
  constructor(
    private readonly store: Store,
    private readonly tokens: TokenDirectory,
    private readonly sender: PushSender,
    private readonly ledger: DeliveryLedger,
    private readonly queue: DeliveryQueue,
    private readonly retry: RetryPolicyOptions,
    private readonly observer?: DeliveryObserver,
  ) {}

  async process(job: DeliveryJob, jobId: string): Promise<void> {
    const { appId, eventId, run } = job;
    const app = await this.store.apps.findById(appId);
    const record = await this.store.events.find(appId, eventId);
    if (!app || !record || record.run !== run) return;
    const result = await this.send(app, job, jobId);
    const reported = await this.store.events.recordJobDone(appId, eventId, run, result.report);
    const next = nextDelivery(job, jobId, result, reported);
    if (next) await this.queue.add([next]);
  }

  /**
   * Sends a delivery job of the event's current run: from its queue, or from the event stage
   * itself for an audience small enough to skip the queue. The caller records the report
   * before it queues the retry, so the retry never reports to a run that does not expect it.
   */
  async send(app: App, job: DeliveryJob, jobId: string): Promise<DeliveryResult> {
    const { appId, eventId, run } = job;
    const expiresAt = new Date(job.message.expiresAt);
    const keepUntil = new Date(expiresAt.getTime() + ledgerGraceMs);
    const targets =
      job.targets ?? selectTargets(await this.tokens.tokensOf(appId, job.userIds ?? []), job.message.call);
    const counts = emptyCounts();
    const known = await this.ledger.results(
      appId,
      eventId,
      targets.map((target) => target.token),
    );
    const toSend: PushTarget[] = [];
    targets.forEach((target, index) => {
      const recorded = known[index];
      const settled = recorded && (recorded.run === run || settlesEveryRun(recorded.result));
      if (settled) countResult(counts, recorded.result);
      else toSend.push(target);
    });

    const settle = async (
      target: PushTarget,
      result: TokenResult,
      reported: PushOutcome["status"] | "expired",
    ) => {
      countResult(counts, result);
      this.observer?.outcome(target.provider, reported);
      await this.ledger.record(appId, eventId, target.token, { result, run }, keepUntil);
    };

    const retryLater: { target: PushTarget; retryAfterMs?: number }[] = [];
    if (Date.now() >= expiresAt.getTime()) {
      for (const target of toSend) await settle(target, "expired", "expired");
    } else if (toSend.length > 0) {
      const pending: Promise<void>[] = [];
      await this.sender.send(app, this.pushMessage(job, expiresAt), toSend, (index, outcome) => {
        const target = toSend[index] as PushTarget;
        pending.push(this.onOutcome(app, target, outcome, settle, retryLater));
      });
      await Promise.all(pending);
    }

    const retry = await this.planRetry(job, jobId, retryLater, expiresAt, settle);
    const report = {
      jobId,
      counts,
      newTokens: job.attempt === 1 ? targets.length : 0,
      followUps: retry ? [retry.jobId] : [],
    };
    return { report, retry, unsettled: toSend };
  }

  private async onOutcome(
    app: App,
    target: PushTarget,
    outcome: PushOutcome,
    settle: (target: PushTarget, result: TokenResult, reported: PushOutcome["status"]) => Promise<void>,
    retryLater: { target: PushTarget; retryAfterMs?: number }[],
  ): Promise<void> {
    switch (outcome.status) {
      case "sent":
        return settle(target, "sent", "sent");
      case "invalid_token":
        await this.tokens.removeToken(app.id, target.token);
        return settle(target, "invalid", "invalid_token");
      case "failed":
        return settle(target, "failed", "failed");
      case "retry":
        this.observer?.outcome(target.provider, "retry");
        retryLater.push({ target, retryAfterMs: outcome.retryAfterMs });
    }
  }

  /** The retry job for the tokens that may try again, or null when none may (or time is up). */
  private async planRetry(
    job: DeliveryJob,
    jobId: string,
    retryLater: { target: PushTarget; retryAfterMs?: number }[],
    expiresAt: Date,
    settle: (target: PushTarget, result: TokenResult, reported: "expired") => Promise<void>,
  ): Promise<Scheduled<DeliveryJob> | null> {
    if (retryLater.length === 0) return null;
    const retryAfterMs = Math.max(0, ...retryLater.map((entry) => entry.retryAfterMs ?? 0));
    const delayMs = retryDelayMs(job.attempt, this.retry, retryAfterMs);
    if (Date.now() + delayMs >= expiresAt.getTime()) {
      for (const { target } of retryLater) await settle(target, "expired", "expired");
      return null;
    }
    return {
      job: {
        ...job,
        userIds: undefined,
        targets: retryLater.map((entry) => entry.target),
        attempt: job.attempt + 1,
      },
      jobId: retryJobId(jobId),
      delayMs,
    };
  }

  private pushMessage(job: DeliveryJob, expiresAt: Date): PushMessage {
    return {
      title: job.message.title,
      body: job.message.body,
      data: job.message.data,
      collapseId: job.eventId,
      threadId: job.message.threadId,
      expiresAt,
      call: job.message.call,
    };
  }
}
