import { type App, eventModeOf } from "../../domain/apps/app.js";
import type { Reservation } from "../../domain/events/event-record.js";
import type { EventRepository } from "../../domain/events/event-repository.js";
import type { LiveEvent } from "../../domain/events/live-event.js";

/** The queue the pipeline reads; `enqueue` resolves only once the jobs are stored in Redis. */
export interface EventQueue {
  enqueue(appId: string, eventIds: string[], run: number): Promise<void>;
}

export class QueueUnavailableError extends Error {
  override name = "QueueUnavailableError";
}

/**
 * Accepts events: claims their ids as queued (dedupe, one statement), then puts them in the
 * queue; when the queue cannot take them, the claims are undone and nothing is accepted. A
 * process that dies in between leaves a claim without a job: the lost-event sweep queues it.
 */
export class EventIntake {
  /**
   * The enqueue of each claim this process is making now, by app and id. A duplicate of one
   * is accepted only once it is queued: should that fail, the claim is undone, and a duplicate
   * answered meanwhile would have been told "accepted" of an event that is nowhere.
   */
  private readonly queueing = new Map<string, Promise<void>>();

  constructor(
    private readonly events: Pick<EventRepository, "reserve" | "release">,
    private readonly queue: EventQueue,
  ) {}

  async accept(app: App, events: LiveEvent[], receivedAt: Date): Promise<Reservation[]> {
    const firstOfId = new Map<string, number>();
    events.forEach((event, index) => {
      if (!firstOfId.has(event.id)) firstOfId.set(event.id, index);
    });
    const distinct = [...firstOfId.values()].map((index) => events[index] as LiveEvent);
    const distinctReservations = await this.events.reserve(
      app.id,
      distinct.map((event) => ({ event, mode: eventModeOf(app, event.type), receivedAt })),
    );
    const reservationOf = new Map(distinct.map((event, index) => [event.id, distinctReservations[index]]));
    // A repeated id within one batch is a duplicate of its first occurrence.
    const reservations = events.map((event, index) =>
      firstOfId.get(event.id) === index ? (reservationOf.get(event.id) as Reservation) : "duplicate",
    );
    const fresh = distinct.filter((event) => reservationOf.get(event.id) === "new").map((event) => event.id);
    const stillQueueing = distinct.flatMap((event) => {
      const queueing =
        reservationOf.get(event.id) === "duplicate" && this.queueing.get(claimKey(app.id, event.id));
      return queueing ? [queueing] : [];
    });
    try {
      await Promise.all(stillQueueing);
    } catch (error) {
      if (fresh.length > 0) await this.events.release(app.id, fresh);
      throw error;
    }
    if (fresh.length > 0) await this.enqueue(app.id, fresh);
    return reservations;
  }

  private async enqueue(appId: string, ids: string[]): Promise<void> {
    const queued = this.queue.enqueue(appId, ids, 0).catch(async (error: unknown) => {
      await this.events.release(appId, ids);
      throw new QueueUnavailableError(`the queue did not take the events: ${(error as Error).message}`);
    });
    const keys = ids.map((id) => claimKey(appId, id));
    for (const key of keys) this.queueing.set(key, queued);
    try {
      await queued;
    } finally {
      for (const key of keys) if (this.queueing.get(key) === queued) this.queueing.delete(key);
    }
  }
}

function claimKey(appId: string, id: string): string {
  return `${appId}\u0000${id}`;
}
