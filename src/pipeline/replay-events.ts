import type { EventRepository } from "../domain/events/event-repository.js";
import { type EventQueue, QueueUnavailableError } from "./ingest/event-intake.js";

/**
 * Runs accepted events again, each as a new run. Tokens that got the notification, or are
 * dead, are not sent to again; those that failed or expired are.
 */
export class EventReplayer {
  constructor(
    private readonly events: EventRepository,
    private readonly queue: EventQueue,
  ) {}

  /**
   * The ids that were found and queued again. When the queue does not take one, that event is
   * left as it was and `QueueUnavailableError` is thrown; those before it stay queued.
   */
  async replay(appId: string, ids: string[]): Promise<string[]> {
    const replayed: string[] = [];
    for (const id of ids) {
      const previous = await this.events.find(appId, id);
      if (previous === null) continue;
      const run = await this.events.replay(appId, id);
      if (run === null) continue;
      try {
        await this.queue.enqueue(appId, [id], run);
      } catch (error) {
        // Nothing would ever run the new run: the event would show `queued` for ever.
        await this.events.undoReplay(previous, run);
        throw new QueueUnavailableError(`the queue did not take the event: ${(error as Error).message}`);
      }
      replayed.push(id);
    }
    return replayed;
  }
}
