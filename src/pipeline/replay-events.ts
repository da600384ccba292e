import type { EventRepository } from "../domain/events/event-repository.js";
import type { EventQueue } from "./ingest/event-intake.js";

/**
 * Runs accepted events again, each as a new run. Tokens that got the notification, or are
 * dead, are not sent to again; those that failed or expired are.
 */
export class EventReplayer {
  constructor(
    private readonly events: EventRepository,
    private readonly queue: EventQueue,
  ) {}

  /** The ids that were found and queued again. */
  async replay(appId: string, ids: string[]): Promise<string[]> {
    const replayed: string[] = [];
    for (const id of ids) {
      const run = await this.events.replay(appId, id);
      if (run === null) continue;
      await this.queue.enqueue(appId, [id], run);
      replayed.push(id);
    }
    return replayed;
  }
}
