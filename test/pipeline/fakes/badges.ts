import type { BadgeCounter } from "../../../src/domain/badges/badge-counter.js";

/** Unread counts in memory, counting each (event, run, user) once as the Redis one does. */
export class InMemoryBadgeCounter implements BadgeCounter {
  private readonly counts = new Map<string, number>();
  private readonly counted = new Set<string>();

  async countAlert(
    appId: string,
    eventId: string,
    run: number,
    userIds: string[],
  ): Promise<Map<string, number>> {
    const answer = new Map<string, number>();
    for (const userId of userIds) {
      const marker = JSON.stringify([appId, eventId, run, userId]);
      if (!this.counted.has(marker)) {
        this.counted.add(marker);
        await this.set(appId, userId, (await this.get(appId, userId)) + 1);
      }
      answer.set(userId, await this.get(appId, userId));
    }
    return answer;
  }

  async get(appId: string, userId: string): Promise<number> {
    return this.counts.get(`${appId}/${userId}`) ?? 0;
  }

  async set(appId: string, userId: string, count: number): Promise<void> {
    this.counts.set(`${appId}/${userId}`, count);
  }

  async setForRun(appId: string, eventId: string, run: number, counts: Map<string, number>): Promise<void> {
    for (const [userId, count] of counts) {
      this.counted.add(JSON.stringify([appId, eventId, run, userId]));
      await this.set(appId, userId, count);
    }
  }
}
