import type { AcceptedIds, EventRepository } from "../../domain/events/event-repository.js";

interface PendingMarks {
  accepted: AcceptedIds[];
  settle: { resolve: () => void; reject: (error: unknown) => void }[];
}

/**
 * Marks queued events accepted, those of every request that reaches this point in one
 * event-loop turn in one statement: under load, one database round trip serves many posts.
 */
export class QueuedMarks {
  private pending: PendingMarks | null = null;

  constructor(private readonly events: Pick<EventRepository, "markQueued">) {}

  mark(appId: string, ids: string[]): Promise<void> {
    if (!this.pending) {
      this.pending = { accepted: [], settle: [] };
      setImmediate(() => void this.flush());
    }
    const pending = this.pending;
    pending.accepted.push({ appId, ids });
    return new Promise((resolve, reject) => pending.settle.push({ resolve, reject }));
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = null;
    if (!batch) return;
    try {
      await this.events.markQueued(batch.accepted);
      for (const { resolve } of batch.settle) resolve();
    } catch (error) {
      for (const { reject } of batch.settle) reject(error);
    }
  }
}
