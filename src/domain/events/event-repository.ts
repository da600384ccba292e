import type { AppMode } from "../apps/app.js";
import type {
  AudienceCounts,
  DeliveryCounts,
  EventListQuery,
  EventRecord,
  EventStatus,
  Reservation,
  WebhookAttemptRecord,
  WebhookOutcome,
} from "./event-record.js";
import type { LiveEvent } from "./live-event.js";

export interface EventToReserve {
  event: LiveEvent;
  mode: AppMode;
  receivedAt: Date;
}

/** What one finished job of a run reports. */
export interface JobReport {
  jobId: string;
  counts: DeliveryCounts;
  /** Tokens a first attempt went to (retries add none). */
  newTokens: number;
  /** Follow-up jobs this one enqueues next (fan-out chunks, a retry). */
  followUps: string[];
}

/** What the event stage found for a run. */
export interface RunAudience extends AudienceCounts {
  /** When the run's notifications expire: the run is processing until then at the latest. */
  expiresAt: Date;
  /** The jobs that follow (fan-out chunks, the webhook call). */
  jobIds: string[];
  /** The report of a delivery the event stage made itself, instead of a delivery job. */
  delivered?: JobReport;
}

/**
 * What `recordAudience` did: recorded; recorded the audience but not the delivered report, which
 * an earlier run of the same job had recorded; or nothing, the run being no longer current.
 */
export type AudienceRecording = "recorded" | "reported-before" | "not-current";

/** A run of an event that is queued: what its event job is named by. */
export interface QueuedRun {
  appId: string;
  id: string;
  run: number;
}

export interface RunStart {
  run: number;
  payload: LiveEvent;
}

/** What events are searched by: each field given narrows the match, none given matches all. */
export interface EventSearch {
  /** The event's id, exactly. */
  id?: string;
  type?: string;
  status?: EventStatus;
  /**
   * Events that name the user: as `actor.id`, in `recipient_ids` or in `channel.member_ids` of
   * the payload, or as the user of a device record of the current run.
   */
  userId?: string;
  /** `channel.id` of the payload. */
  channelId?: string;
  /** Events with a failed delivery or a dead token, or that failed themselves. */
  hadFailures?: boolean;
  since?: Date;
  until?: Date;
}

/** One page of a search, newest first. */
export interface EventPage {
  limit: number;
  /** Events received strictly before this one (the last of the previous page). */
  before?: { receivedAt: Date; id: string };
}

export interface EventRepository {
  /**
   * Claims each event id for the app, as queued: `new`, or `duplicate` when the app has one
   * with that id. One statement: the ingest's only database round trip.
   */
  reserve(appId: string, events: EventToReserve[]): Promise<Reservation[]>;
  /** Undoes `reserve` for events this intake claimed and could not queue: never accepted. */
  release(appId: string, ids: string[]): Promise<void>;
  /**
   * The app's runs queued (not started) since before `before`, oldest first, at most `limit`:
   * those whose job may have been lost (a crash between reserving and queueing, a Redis that
   * lost its last writes).
   */
  queuedBefore(appId: string, before: Date, limit: number): Promise<QueuedRun[]>;
  /** The ids of the run's jobs not done yet (deliveries, retries, webhook calls), at most `limit`. */
  openJobIds(appId: string, id: string, run: number, limit: number): Promise<string[]>;
  find(appId: string, id: string): Promise<EventRecord | null>;
  list(appId: string, query: EventListQuery): Promise<EventRecord[]>;
  /** The event of `run`; null when that run is no longer current (replayed since) or finished. */
  currentRun(appId: string, id: string, run: number): Promise<RunStart | null>;
  /**
   * Recipients are known: the run is processing, the jobs named follow, and no job open
   * completes it. A `delivered` report counts once per job id, like `recordJobDone`'s (the event
   * stage of a run taken over after a crash reports again). Nothing when the run is no longer
   * current or is finished.
   */
  recordAudience(appId: string, id: string, run: number, audience: RunAudience): Promise<AudienceRecording>;
  /**
   * Closes a job, adds its counts and opens its follow-ups, once per job id (a job run
   * again after a crash reports nothing twice). Completes the run when no job is open.
   * False when the job had already reported.
   */
  recordJobDone(appId: string, id: string, run: number, report: JobReport): Promise<boolean>;
  markFailed(appId: string, id: string, run: number, error: string): Promise<void>;
  recordWebhookAttempt(appId: string, id: string, attempt: WebhookAttemptRecord): Promise<void>;
  /** The customer's decision; an edit of `recipient_ids` also replaces the audience counts. */
  recordWebhookOutcome(
    appId: string,
    id: string,
    run: number,
    outcome: WebhookOutcome,
    audience?: AudienceCounts,
  ): Promise<void>;
  /** Oldest first, every run. */
  webhookAttempts(appId: string, id: string): Promise<WebhookAttemptRecord[]>;
  /** Prepares a replay: a new run, counters reset; returns the new run number. */
  replay(appId: string, id: string): Promise<number | null>;
  /**
   * Undoes a `replay` whose run could not be queued: the event is `previous` again (as `find`
   * read it before the replay), unless the replayed run has started since.
   */
  undoReplay(previous: EventRecord, replayedRun: number): Promise<void>;
  /** Ids of at most `limit` events matching the filter, oldest first, for a bulk replay. */
  idsFor(
    appId: string,
    filter: { status: EventRecord["status"]; since?: Date; until?: Date },
    limit: number,
  ): Promise<string[]>;
  /** The events matching `search`, newest first, a page at a time. */
  search(appId: string, search: EventSearch, page: EventPage): Promise<EventRecord[]>;
  /** How many events match `search`, counted up to `atMost` (the cost of a count is bounded). */
  countMatching(appId: string, search: EventSearch, atMost: number): Promise<number>;
  /**
   * Ids of at most `limit` finished (completed, failed, expired) events matching `search`,
   * oldest first, for a bulk replay: a run in flight is never replayed.
   */
  finishedIdsMatching(appId: string, search: EventSearch, limit: number): Promise<string[]>;
  purgeReceivedBefore(cutoff: Date): Promise<number>;
}
