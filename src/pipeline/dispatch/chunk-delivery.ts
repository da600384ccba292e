import type { App } from "../../domain/apps/app.js";
import type { TokenDirectory } from "../../domain/audience/audience.js";
import type { BadgeCounter } from "../../domain/badges/badge-counter.js";
import type { DeliveryCounts } from "../../domain/events/event-record.js";
import type { JobReport } from "../../domain/events/event-repository.js";
import type { Wording } from "../../domain/templates/template-rendering.js";
import type { PushMessage, PushOutcome, PushSender, PushTarget } from "../../providers/push-provider.js";
import type { DeliveryJob, Scheduled } from "../jobs.js";
import { type RetryPolicyOptions, retryDelayMs } from "../retry-policy.js";
import { groupByWording, type TemplateObserver } from "../stages/localize.js";
import { selectTargets } from "../stages/targets.js";
import { type DeliveryLedger, settlesEveryRun, type TokenResult } from "./delivery-ledger.js";
import { retryOf } from "./next-delivery.js";

/** How long a token's result is remembered after the notification expired. */
const ledgerGraceMs = 24 * 3_600_000;

export interface DeliveryObserver {
  outcome(provider: PushTarget["provider"], outcome: PushOutcome["status"] | "expired"): void;
  /** A token got a notification without sound (a snooze or quiet hours, `quiet_delivery: silent`). */
  silenced(provider: PushTarget["provider"]): void;
}

/** What one delivery reports, and the job that retries its transient failures. */
export interface DeliveryResult {
  report: JobReport;
  retry: Scheduled<DeliveryJob> | null;
  /** The targets that had no result when the job began: the ones it sent to. */
  unsettled: PushTarget[];
}

type Settle = (
  target: PushTarget,
  result: TokenResult,
  reported: PushOutcome["status"] | "expired",
) => Promise<void>;

interface RetryLater {
  target: PushTarget;
  retryAfterMs?: number;
}

function emptyCounts(): DeliveryCounts {
  return { sent: 0, failed: 0, invalidTokens: 0, expired: 0, silenced: 0 };
}

function countResult(counts: DeliveryCounts, result: TokenResult, silent: boolean): void {
  if (result === "sent") {
    counts.sent++;
    if (silent) counts.silenced++;
  } else if (result === "invalid") counts.invalidTokens++;
  else if (result === "failed") counts.failed++;
  else counts.expired++;
}

/**
 * Sends one chunk of a fan-out (or its retry): the chunk's tokens, minus those that already
 * have a result, through the providers, one send per wording (language, or recipient when the
 * app's template names them). Dead tokens are removed; transient failures are
 * retried for those tokens only, until the notification expires. It reports and queues
 * nothing itself: the dispatch records the report before it queues the retry, so the retry
 * never reports to a run that does not expect it.
 */
export class ChunkDelivery {
  constructor(
    private readonly tokens: TokenDirectory,
    private readonly sender: Pick<PushSender, "send">,
    private readonly ledger: DeliveryLedger,
    private readonly badges: BadgeCounter,
    private readonly retry: RetryPolicyOptions,
    private readonly observer?: DeliveryObserver,
    private readonly templates?: TemplateObserver,
  ) {}

  async send(app: App, job: DeliveryJob, jobId: string): Promise<DeliveryResult> {
    const { appId, eventId, run } = job;
    const expiresAt = new Date(job.message.expiresAt);
    const keepUntil = new Date(expiresAt.getTime() + ledgerGraceMs);
    const targets =
      job.targets ?? selectTargets(await this.tokens.tokensOf(appId, job.userIds ?? []), job.message.call);
    const counts = emptyCounts();
    const silent = job.message.silent === true;
    const known = await this.ledger.results(
      appId,
      eventId,
      targets.map((target) => target.token),
    );
    const toSend: PushTarget[] = [];
    targets.forEach((target, index) => {
      const recorded = known[index];
      const settled = recorded && (recorded.run === run || settlesEveryRun(recorded.result));
      if (settled) countResult(counts, recorded.result, silent);
      else toSend.push(target);
    });

    const settle: Settle = async (target, result, reported) => {
      countResult(counts, result, silent);
      this.observer?.outcome(target.provider, reported);
      if (silent && result === "sent") this.observer?.silenced(target.provider);
      await this.ledger.record(appId, eventId, target.token, { result, run }, keepUntil);
    };

    const retryLater: RetryLater[] = [];
    if (Date.now() >= expiresAt.getTime()) {
      for (const target of toSend) await settle(target, "expired", "expired");
    } else if (toSend.length > 0) {
      const pending: Promise<void>[] = [];
      const badges = await this.badgeCounts(app, job, toSend);
      const groups = groupByWording(job.message, toSend, app.defaultLocale, this.templates).flatMap(
        ({ wording, targets: group }) => byBadge(group, badges).map((part) => ({ wording, ...part })),
      );
      await Promise.all(
        groups.map(({ wording, badge, targets: group }) =>
          this.sender.send(app, pushMessage(job, expiresAt, wording, badge), group, (index, outcome) => {
            const target = group[index] as PushTarget;
            pending.push(this.onOutcome(app, target, outcome, settle, retryLater));
          }),
        ),
      );
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

  /**
   * Each recipient's unread count, raised for this event before it is sent: only alerts count
   * and carry it, not calls or silent notifications.
   */
  private async badgeCounts(app: App, job: DeliveryJob, targets: PushTarget[]): Promise<Map<string, number>> {
    if (app.badge !== "count" || job.message.call || job.message.silent) return new Map();
    const userIds = new Set<string>();
    for (const target of targets) if (target.userId !== undefined) userIds.add(target.userId);
    return this.badges.countAlert(job.appId, job.eventId, job.run, [...userIds]);
  }

  private async onOutcome(
    app: App,
    target: PushTarget,
    outcome: PushOutcome,
    settle: Settle,
    retryLater: RetryLater[],
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
    retryLater: RetryLater[],
    expiresAt: Date,
    settle: Settle,
  ): Promise<Scheduled<DeliveryJob> | null> {
    if (retryLater.length === 0) return null;
    const retryAfterMs = Math.max(0, ...retryLater.map((entry) => entry.retryAfterMs ?? 0));
    const delayMs = retryDelayMs(job.attempt, this.retry, retryAfterMs);
    if (Date.now() + delayMs >= expiresAt.getTime()) {
      for (const { target } of retryLater) await settle(target, "expired", "expired");
      return null;
    }
    return retryOf(
      job,
      jobId,
      retryLater.map((entry) => entry.target),
      delayMs,
    );
  }
}

/** The targets split by the badge they show; one part, without a badge, when there are none. */
function byBadge(
  targets: PushTarget[],
  badges: Map<string, number>,
): { badge: number | undefined; targets: PushTarget[] }[] {
  if (badges.size === 0) return [{ badge: undefined, targets }];
  const parts = new Map<number | undefined, PushTarget[]>();
  for (const target of targets) {
    const badge = target.userId === undefined ? undefined : badges.get(target.userId);
    const part = parts.get(badge);
    if (part) part.push(target);
    else parts.set(badge, [target]);
  }
  return [...parts].map(([badge, part]) => ({ badge, targets: part }));
}

function pushMessage(
  job: DeliveryJob,
  expiresAt: Date,
  wording: Wording,
  badge: number | undefined,
): PushMessage {
  return {
    title: wording.title,
    body: wording.body,
    data: job.message.data,
    collapseId: job.eventId,
    threadId: job.message.threadId,
    expiresAt,
    call: job.message.call,
    silent: job.message.silent === true,
    ...(badge !== undefined && { badge }),
    ...(job.message.presentation && { presentation: job.message.presentation }),
  };
}
