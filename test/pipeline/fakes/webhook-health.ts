import type { FailureStreak, WebhookHealth } from "../../../src/domain/apps/webhook-health.js";

/** Webhook health in memory: one run of failures per app, and probe intervals that end when told. */
export class InMemoryWebhookHealth implements WebhookHealth {
  readonly streaks = new Map<string, FailureStreak>();
  private readonly probing = new Set<string>();

  async failed(appId: string, at: Date): Promise<FailureStreak> {
    const streak = this.streaks.get(appId) ?? { count: 0, since: at };
    const next = { count: streak.count + 1, since: streak.since };
    this.streaks.set(appId, next);
    return next;
  }

  async answered(appId: string): Promise<void> {
    this.streaks.delete(appId);
  }

  async reset(appId: string): Promise<void> {
    this.streaks.delete(appId);
    this.probing.delete(appId);
  }

  async claimProbe(appId: string): Promise<boolean> {
    if (this.probing.has(appId)) return false;
    this.probing.add(appId);
    return true;
  }

  /** The probe interval ends: the next call of an off webhook is a probe. */
  nextInterval(appId: string): void {
    this.probing.delete(appId);
  }
}
