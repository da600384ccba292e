import { batchPerTurn } from "../../common/batch-per-turn.js";
import type { AcceptedIds, EventRepository } from "../../domain/events/event-repository.js";

/**
 * Marks queued events accepted, those of every request that reaches this point in one
 * event-loop turn in one statement: under load, one database round trip serves many posts.
 */
export class QueuedMarks {
  private readonly markAll: (accepted: AcceptedIds) => Promise<void>;

  constructor(events: Pick<EventRepository, "markQueued">) {
    this.markAll = batchPerTurn(async (accepted: AcceptedIds[]) => {
      await events.markQueued(accepted);
      return accepted.map(() => undefined);
    });
  }

  mark(appId: string, ids: string[]): Promise<void> {
    return this.markAll({ appId, ids });
  }
}
