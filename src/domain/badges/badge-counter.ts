/** The highest unread count the gateway keeps or accepts. */
export const maxBadgeCount = 1_000_000;

/**
 * Each user's unread count (docs/api.md, Badges), kept where every worker process sees the
 * same number. The count goes up once per event that alerts the user, however many of their
 * devices get it and however many times a crashed job runs again.
 */
export interface BadgeCounter {
  /**
   * Adds 1 to each user's count, once per (event, run, user), and answers every user's count:
   * those already counted for this run get their current count, unchanged.
   */
  countAlert(appId: string, eventId: string, run: number, userIds: string[]): Promise<Map<string, number>>;
  get(appId: string, userId: string): Promise<number>;
  set(appId: string, userId: string, count: number): Promise<void>;
  /**
   * Sets the counts an event names (its `badges`) and marks those users counted for the run,
   * so that they are sent exactly the count given.
   */
  setForRun(appId: string, eventId: string, run: number, counts: Map<string, number>): Promise<void>;
}
