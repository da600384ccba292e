import type { App } from "../../domain/apps/app.js";
import type { TokenDirectory } from "../../domain/audience/audience.js";
import type { BadgeCounter } from "../../domain/badges/badge-counter.js";
import { type BurstCounter, burstCollapseId } from "../../domain/bursts/burst-counter.js";
import type {
  DeviceDeliveryRepository,
  DeviceDeliveryUpdate,
  DeviceOutcome,
} from "../../domain/events/device-delivery.js";
import type { DeliveryCounts } from "../../domain/events/event-record.js";
import type { JobReport } from "../../domain/events/event-repository.js";
import type { LiveEvent } from "../../domain/events/live-event.js";
import type { PushMessage, PushOutcome, PushSender, PushTarget } from "../../providers/push-provider.js";
import type { DeliveryJob, Scheduled } from "../jobs.js";
import { type RetryPolicyOptions, retryDelayMs } from "../retry-policy.js";
import { foldableUsers, foldedWordings, folds } from "../stages/burst.js";
import { groupByWording, type TemplateObserver, type WordingGroup } from "../stages/localize.js";
import { selectTargets } from "../stages/targets.js";
import { type DeliveryLedger, settlesEveryRun, type TokenResult } from "./delivery-ledger.js";
import { retryOf } from "./next-delivery.js";

/** How long a token's result is remembered after the notification expired. */
const ledgerGraceMs = 24 * 3_600_000;

export interface DeliveryObserver {
  outcome(provider: PushTarget["provider"], outcome: PushOutcome["status"] | "expired"): void;
  /** A token got a notification without sound (a snooze or quiet hours, `quiet_delivery: silent`). */
  silenced(provider: PushTarget["provider"]): void;
  /** A token got a notification that replaced the one before it in a burst. */
  folded(provider: PushTarget["provider"]): void;
}

/** What one delivery reports, and the job that retries its transient failures. */
export interface DeliveryResult {
  report: JobReport;
  retry: Scheduled<DeliveryJob> | null;
  /** The targets that had no result when the job began: the ones it sent to. */
  unsettled: PushTarget[];
  /** Sends to ask about later (Expo): the provider tells only then whether the token was dead. */
  receipts: { provider: PushTarget["provider"]; token: string; receipt: string }[];
}

/** `answer`: what the provider said, when this job sent to the token. */
type Settle = (
  target: PushTarget,
  result: TokenResult,
  reported: PushOutcome["status"] | "expired",
  answer?: PushOutcome,
) => Promise<void>;

interface RetryLater {
  target: PushTarget;
  retryAfterMs?: number;
}

/** A token's per-device record: its outcome now, and whether this job sent to it (`answer`). */
function deviceUpdate(
  target: PushTarget,
  outcome: DeviceOutcome,
  answer?: PushOutcome,
): DeviceDeliveryUpdate {
  return {
    token: target.token,
    userId: target.userId ?? null,
    deviceId: target.deviceId ?? null,
    provider: target.provider,
    outcome,
    sent: answer !== undefined,
    providerStatus: answer?.providerStatus ?? null,
    providerError: answer && answer.status !== "sent" ? answer.reason : null,
    at: new Date(),
  };
}

/** Whether the target's notification replaces the one before in its recipient's burst. */
function foldsIn(bursts: Map<string, number>, target: PushTarget): boolean {
  return folds(target.userId === undefined ? undefined : bursts.get(target.userId));
}

function deviceOutcomeOf(result: TokenResult, silent: boolean): DeviceOutcome {
  if (result === "sent") return silent ? "silenced" : "sent";
  return result === "invalid" ? "invalid_token" : result;
}

/** Targets that get the same notification, sent together. */
interface Send extends WordingGroup {
  badge: number | undefined;
  /** The recipients' place in their burst; undefined outside one. */
  burst: number | undefined;
}

function emptyCounts(): DeliveryCounts {
  return { sent: 0, failed: 0, invalidTokens: 0, expired: 0, silenced: 0, folded: 0 };
}

function countResult(counts: DeliveryCounts, result: TokenResult, silent: boolean, folded: boolean): void {
  if (result === "sent") {
    counts.sent++;
    if (silent) counts.silenced++;
    if (folded) counts.folded++;
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
    private readonly records: Pick<DeviceDeliveryRepository, "record">,
    private readonly badges: BadgeCounter,
    private readonly bursts: BurstCounter,
    private readonly retry: RetryPolicyOptions,
    private readonly observer?: DeliveryObserver,
    private readonly templates?: TemplateObserver,
  ) {}

  async send(app: App, event: LiveEvent, job: DeliveryJob, jobId: string): Promise<DeliveryResult> {
    const { appId, eventId, run } = job;
    const expiresAt = new Date(job.message.expiresAt);
    const keepUntil = new Date(expiresAt.getTime() + ledgerGraceMs);
    const targets =
      job.targets ?? selectTargets(await this.tokens.tokensOf(appId, job.userIds ?? []), job.message.call);
    const counts = emptyCounts();
    const silent = job.message.silent === true;
    const [known, bursts] = await Promise.all([
      this.ledger.results(
        appId,
        eventId,
        targets.map((target) => target.token),
      ),
      this.burstCounts(event, job, targets),
    ]);
    const foldedFor = (target: PushTarget) => foldsIn(bursts, target);
    const toSend: PushTarget[] = [];
    // A job run again after a crash writes the records of the tokens it finds settled again.
    const updates: DeviceDeliveryUpdate[] = [];
    targets.forEach((target, index) => {
      const recorded = known[index];
      const settled = recorded && (recorded.run === run || settlesEveryRun(recorded.result));
      if (settled) {
        countResult(counts, recorded.result, silent, foldedFor(target));
        updates.push(deviceUpdate(target, deviceOutcomeOf(recorded.result, silent)));
      } else toSend.push(target);
    });

    const settle: Settle = async (target, result, reported, answer) => {
      const folded = foldedFor(target);
      updates.push(deviceUpdate(target, deviceOutcomeOf(result, silent), answer));
      countResult(counts, result, silent, folded);
      this.observer?.outcome(target.provider, reported);
      if (result === "sent" && silent) this.observer?.silenced(target.provider);
      if (result === "sent" && folded) this.observer?.folded(target.provider);
      await this.ledger.record(appId, eventId, target.token, { result, run }, keepUntil);
    };

    const retryLater: RetryLater[] = [];
    const receipts: DeliveryResult["receipts"] = [];
    if (Date.now() >= expiresAt.getTime()) {
      for (const target of toSend) await settle(target, "expired", "expired");
    } else if (toSend.length > 0) {
      const pending: Promise<void>[] = [];
      const badges = await this.badgeCounts(app, job, toSend);
      const sends = this.wordingGroups(app, event, job, toSend, bursts).flatMap((group) =>
        splitByCounts(group, badges, bursts),
      );
      await Promise.all(
        sends.map((send) =>
          this.sender.send(app, pushMessage(job, event, expiresAt, send), send.targets, (index, outcome) => {
            const target = send.targets[index] as PushTarget;
            if (outcome.status === "sent" && outcome.receipt !== undefined)
              receipts.push({ provider: target.provider, token: target.token, receipt: outcome.receipt });
            const recorded = this.onOutcome(app, target, outcome, settle, retryLater, updates);
            // Awaited once every send is answered; a failure before then would be an unhandled
            // rejection, which ends the worker process with all its jobs, not this job alone.
            recorded.catch(() => {});
            pending.push(recorded);
          }),
        ),
      );
      await Promise.all(pending);
    }

    const retry = await this.planRetry(job, jobId, retryLater, expiresAt, settle);
    await this.records.record(appId, eventId, run, updates);
    const report = {
      jobId,
      counts,
      newTokens: job.attempt === 1 ? targets.length : 0,
      followUps: retry ? [retry.jobId] : [],
    };
    return { report, retry, unsettled: toSend, receipts };
  }

  /**
   * The targets grouped by wording: their language's, or, for those whose notification folds into
   * a burst, the template's `burst_body` with the burst's count.
   */
  private wordingGroups(
    app: App,
    event: LiveEvent,
    job: DeliveryJob,
    targets: PushTarget[],
    bursts: Map<string, number>,
  ): WordingGroup[] {
    const { message } = job;
    const plan = message.burst;
    const folded = (target: PushTarget) => foldsIn(bursts, target);
    const own = groupByWording(
      message,
      plan ? targets.filter((target) => !folded(target)) : targets,
      app.defaultLocale,
      this.templates,
    );
    if (!plan) return own;
    const replacing = targets.filter(folded);
    return [
      ...own,
      ...foldedWordings(plan, event, message.data, replacing, bursts, app.defaultLocale, this.templates),
    ];
  }

  /** Each recipient's place in their burst of the message's channel; none when the message folds into none. */
  private async burstCounts(
    event: LiveEvent,
    job: DeliveryJob,
    targets: PushTarget[],
  ): Promise<Map<string, number>> {
    const plan = job.message.burst;
    const channelId = event.channel?.id;
    if (!plan || channelId === undefined) return new Map();
    const userIds = new Set<string>();
    for (const target of targets) if (target.userId !== undefined) userIds.add(target.userId);
    return this.bursts.count(
      job.appId,
      job.eventId,
      job.run,
      { channelId, windowMs: plan.windowSeconds * 1000 },
      foldableUsers(event, userIds),
    );
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
    updates: DeviceDeliveryUpdate[],
  ): Promise<void> {
    switch (outcome.status) {
      case "sent":
        return settle(target, "sent", "sent", outcome);
      case "invalid_token":
        await this.tokens.removeToken(app.id, target.token);
        return settle(target, "invalid", "invalid_token", outcome);
      case "failed":
        return settle(target, "failed", "failed", outcome);
      case "retry":
        this.observer?.outcome(target.provider, "retry");
        updates.push(deviceUpdate(target, "pending", outcome));
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

/** A wording group split by the badge and the place in a burst its targets have; one part when they have none. */
function splitByCounts(
  group: WordingGroup,
  badges: Map<string, number>,
  bursts: Map<string, number>,
): Send[] {
  if (badges.size === 0 && bursts.size === 0) return [{ ...group, badge: undefined, burst: undefined }];
  const parts = new Map<string, Send>();
  for (const target of group.targets) {
    const badge = target.userId === undefined ? undefined : badges.get(target.userId);
    const burst = target.userId === undefined ? undefined : bursts.get(target.userId);
    const key = `${badge}/${burst}`;
    const part = parts.get(key);
    if (part) part.targets.push(target);
    else parts.set(key, { wording: group.wording, badge, burst, targets: [target] });
  }
  return [...parts.values()];
}

/**
 * The message of one send. In a burst every notification of the channel shares one collapse id,
 * so each replaces the one before; those after the first go without sound.
 */
function pushMessage(job: DeliveryJob, event: LiveEvent, expiresAt: Date, send: Send): PushMessage {
  const channelId = event.channel?.id;
  const inBurst = send.burst !== undefined && channelId !== undefined;
  return {
    title: send.wording.title,
    body: send.wording.body,
    data: job.message.data,
    collapseId: inBurst ? burstCollapseId(channelId) : job.eventId,
    threadId: job.message.threadId,
    expiresAt,
    call: job.message.call,
    silent: job.message.silent === true,
    ...(folds(send.burst) && { folded: true }),
    ...(send.badge !== undefined && { badge: send.badge }),
    ...(job.message.presentation && { presentation: job.message.presentation }),
  };
}
