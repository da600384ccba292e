import type { BurstCounter } from "../../../src/domain/bursts/burst-counter.js";

/** Bursts in memory, counting each (event, run, user) once and ending each burst with its window, as the Redis one does. */
export class InMemoryBurstCounter implements BurstCounter {
  private readonly bursts = new Map<string, { count: number; endsAt: number }>();
  private readonly counted = new Set<string>();

  async count(
    appId: string,
    eventId: string,
    run: number,
    burst: { channelId: string; windowMs: number },
    userIds: string[],
  ): Promise<Map<string, number>> {
    const answer = new Map<string, number>();
    const now = Date.now();
    for (const userId of userIds) {
      const key = JSON.stringify([appId, userId, burst.channelId]);
      const marker = JSON.stringify([appId, eventId, run, userId]);
      const current = this.bursts.get(key);
      const live = current && current.endsAt > now ? current : undefined;
      if (!this.counted.has(marker)) {
        this.counted.add(marker);
        const next = live ? { ...live, count: live.count + 1 } : { count: 1, endsAt: now + burst.windowMs };
        this.bursts.set(key, next);
        answer.set(userId, next.count);
      } else answer.set(userId, live?.count ?? 1);
    }
    return answer;
  }
}
