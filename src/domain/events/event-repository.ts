import type { AppMode } from "../apps/app.js";
import type { DeliveryCounts, EventListQuery, EventRecord, Reservation } from "./event-record.js";
import type { LiveEvent } from "./live-event.js";

export interface EventToReserve {
  event: LiveEvent;
  mode: AppMode;
  receivedAt: Date;
}

export interface DeliveryProgress {
  counts: DeliveryCounts;
  /** Tokens a first attempt went to (retries add none). */
  newTokens: number;
  jobsDone: number;
  jobsAdded: number;
}

export interface RunStart {
  run: number;
  payload: LiveEvent;
}

export interface EventRepository {
  /**
   * Claims each event id for the app. `new` also covers an id written earlier whose
   * enqueue failed (never accepted); `duplicate` means it was accepted before.
   */
  reserve(appId: string, events: EventToReserve[]): Promise<Reservation[]>;
  /** The events are in the queue: from now on they are accepted. */
  markQueued(appId: string, ids: string[]): Promise<void>;
  /** Undoes `reserve` for events that could not be queued. */
  release(appId: string, ids: string[]): Promise<void>;
  find(appId: string, id: string): Promise<EventRecord | null>;
  list(appId: string, query: EventListQuery): Promise<EventRecord[]>;
  /** Starts processing `run`; null when that run is no longer current (replayed since) or finished. */
  startRun(appId: string, id: string, run: number, expiresAt: Date): Promise<RunStart | null>;
  /** Recipients are known; `jobs` delivery jobs follow (0 completes the event). */
  recordAudience(
    appId: string,
    id: string,
    run: number,
    audience: { recipients: number; suppressed: number; jobs: number },
  ): Promise<void>;
  /** Adds a delivery job's counts and open jobs; completes the event when none is left open. */
  recordDeliveries(appId: string, id: string, run: number, progress: DeliveryProgress): Promise<void>;
  markFailed(appId: string, id: string, run: number, error: string): Promise<void>;
  /** Prepares a replay: a new run, counters reset; returns the new run number. */
  replay(appId: string, id: string): Promise<number | null>;
  /** Ids of events matching the filter, for a bulk replay. */
  idsFor(
    appId: string,
    filter: { status: EventRecord["status"]; since?: Date; until?: Date },
  ): Promise<string[]>;
  purgeReceivedBefore(cutoff: Date): Promise<number>;
}
