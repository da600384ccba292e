import { and, desc, eq, gte, inArray, lt, lte, notExists, or, sql } from "drizzle-orm";
import type {
  AudienceCounts,
  EventListQuery,
  EventRecord,
  Reservation,
  WebhookAttemptRecord,
  WebhookOutcome,
} from "../../domain/events/event-record.js";
import type {
  AudienceRecording,
  EventRepository,
  EventToReserve,
  JobReport,
  RunAudience,
  RunStart,
} from "../../domain/events/event-repository.js";
import type { LiveEvent } from "../../domain/events/live-event.js";
import { chunks } from "../chunks.js";
import { pickColumns } from "../mapping/columns.js";
import {
  replayedEventColumns,
  reservedEventRow,
  toEventRecord,
  webhookAttemptKeys,
} from "../mapping/events.js";
import { isAnyOf } from "./any-of.js";
import type { PostgresDb, PostgresTx } from "./postgres-store.js";
import { eventJobs, events, webhookAttempts } from "./schema/index.js";

/** Runs that may still be processed: not finished, not failed. */
const unfinished = inArray(events.status, ["received", "queued", "processing"]);

/** Rows per insert: far below PostgreSQL's 65535 bound parameters per statement. */
const rowsPerInsert = 5000;

/** The reads every event makes, parsed once per connection. */
function preparedReads(db: PostgresDb) {
  const appId = sql.placeholder("appId");
  const id = sql.placeholder("id");
  return {
    find: db
      .select()
      .from(events)
      .where(and(eq(events.appId, appId), eq(events.id, id)))
      .prepare("events_find"),
    currentRun: db
      .select({ run: events.run, payload: events.payload })
      .from(events)
      .where(
        and(eq(events.appId, appId), eq(events.id, id), eq(events.run, sql.placeholder("run")), unfinished),
      )
      .prepare("events_current_run"),
  };
}

export class PostgresEventRepository implements EventRepository {
  private readonly reads: ReturnType<typeof preparedReads>;

  constructor(private readonly db: PostgresDb) {
    this.reads = preparedReads(db);
  }

  /** One statement per batch (ids distinct, as `EventIntake` sends them): the rows it inserts or retakes are the new ones. */
  async reserve(appId: string, toReserve: EventToReserve[]): Promise<Reservation[]> {
    const claimed = new Set<string>();
    for (const part of chunks(toReserve, rowsPerInsert)) {
      const rows = await this.db
        .insert(events)
        .values(part.map((reserved) => reservedEventRow(appId, reserved)))
        .onConflictDoUpdate({
          target: [events.appId, events.id],
          set: {
            type: sql`excluded.type`,
            mode: sql`excluded.mode`,
            payload: sql`excluded.payload`,
            receivedAt: sql`excluded.received_at`,
          },
          // Written by an earlier request whose enqueue failed: that one was never accepted.
          setWhere: eq(events.status, "received"),
        })
        .returning({ id: events.id });
      for (const row of rows) claimed.add(row.id);
    }
    return toReserve.map(({ event }) => (claimed.has(event.id) ? "new" : "duplicate"));
  }

  async markQueued(appId: string, ids: string[]): Promise<void> {
    await this.db
      .update(events)
      .set({ status: "queued" })
      .where(and(eq(events.appId, appId), isAnyOf(events.id, ids), eq(events.status, "received")));
  }

  async release(appId: string, ids: string[]): Promise<void> {
    await this.db
      .delete(events)
      .where(and(eq(events.appId, appId), isAnyOf(events.id, ids), eq(events.status, "received")));
  }

  async find(appId: string, id: string): Promise<EventRecord | null> {
    const [row] = await this.reads.find.execute({ appId, id });
    return row && row.status !== "received" ? toEventRecord(row) : null;
  }

  async list(appId: string, query: EventListQuery): Promise<EventRecord[]> {
    const conditions = [eq(events.appId, appId), sql`${events.status} <> 'received'`];
    if (query.status) conditions.push(eq(events.status, query.status));
    if (query.since) conditions.push(gte(events.receivedAt, query.since));
    if (query.until) conditions.push(lte(events.receivedAt, query.until));
    if (query.before) {
      const { receivedAt, id } = query.before;
      const older = or(
        lt(events.receivedAt, receivedAt),
        and(eq(events.receivedAt, receivedAt), lt(events.id, id)),
      );
      if (older) conditions.push(older);
    }
    const rows = await this.db
      .select()
      .from(events)
      .where(and(...conditions))
      .orderBy(desc(events.receivedAt), desc(events.id))
      .limit(query.limit);
    return rows.map(toEventRecord);
  }

  async currentRun(appId: string, id: string, run: number): Promise<RunStart | null> {
    const [row] = await this.reads.currentRun.execute({ appId, id, run });
    return row ? { run: row.run, payload: row.payload as LiveEvent } : null;
  }

  async recordAudience(
    appId: string,
    id: string,
    run: number,
    audience: RunAudience,
  ): Promise<AudienceRecording> {
    const { recipients, suppressed, suppressedBy, expiresAt, jobIds, delivered } = audience;
    // The update locks the event's row first: the run's job reports wait for this transaction.
    return this.db.transaction(async (tx) => {
      const current = await tx
        .update(events)
        .set({ status: "processing", expiresAt, recipients, suppressed, suppressedBy })
        .where(and(ofRun(appId, id, run), unfinished))
        .returning({ run: events.run });
      if (current.length === 0) return "not-current";
      await openJobs(tx, appId, id, run, jobIds);
      let recording: AudienceRecording = "recorded";
      if (delivered) {
        const firstReport = await tx
          .insert(eventJobs)
          .values({ appId, eventId: id, run, jobId: delivered.jobId, open: false })
          .onConflictDoNothing()
          .returning({ jobId: eventJobs.jobId });
        if (firstReport.length > 0) await addReport(tx, appId, id, run, delivered);
        else recording = "reported-before";
      }
      await completeIfDone(tx, appId, id, run);
      return recording;
    });
  }

  async recordJobDone(appId: string, id: string, run: number, report: JobReport): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await lockEvent(tx, appId, id);
      const closed = await tx
        .update(eventJobs)
        .set({ open: false })
        .where(and(ofJobs(appId, id, run), eq(eventJobs.jobId, report.jobId), eq(eventJobs.open, true)))
        .returning({ jobId: eventJobs.jobId });
      if (closed.length === 0) return false;
      await addReport(tx, appId, id, run, report);
      await completeIfDone(tx, appId, id, run);
      return true;
    });
  }

  async markFailed(appId: string, id: string, run: number, error: string): Promise<void> {
    await this.db
      .update(events)
      .set({ status: "failed", error, completedAt: new Date() })
      .where(ofRun(appId, id, run));
  }

  async recordWebhookAttempt(appId: string, id: string, attempt: WebhookAttemptRecord): Promise<void> {
    await this.db.insert(webhookAttempts).values({ appId, eventId: id, ...attempt });
  }

  async recordWebhookOutcome(
    appId: string,
    id: string,
    run: number,
    outcome: WebhookOutcome,
    audience?: AudienceCounts,
  ): Promise<void> {
    await this.db
      .update(events)
      .set({ webhookOutcome: outcome, ...audience })
      .where(ofRun(appId, id, run));
  }

  async webhookAttempts(appId: string, id: string): Promise<WebhookAttemptRecord[]> {
    return this.db
      .select(pickColumns(webhookAttempts, webhookAttemptKeys))
      .from(webhookAttempts)
      .where(and(eq(webhookAttempts.appId, appId), eq(webhookAttempts.eventId, id)))
      .orderBy(webhookAttempts.id);
  }

  async replay(appId: string, id: string): Promise<number | null> {
    const [row] = await this.db
      .update(events)
      .set({ ...replayedEventColumns, run: sql`${events.run} + 1` })
      .where(and(eq(events.appId, appId), eq(events.id, id), sql`${events.status} <> 'received'`))
      .returning({ run: events.run });
    return row?.run ?? null;
  }

  async idsFor(
    appId: string,
    filter: { status: EventRecord["status"]; since?: Date; until?: Date },
  ): Promise<string[]> {
    const conditions = [eq(events.appId, appId), eq(events.status, filter.status)];
    if (filter.since) conditions.push(gte(events.receivedAt, filter.since));
    if (filter.until) conditions.push(lte(events.receivedAt, filter.until));
    const rows = await this.db
      .select({ id: events.id })
      .from(events)
      .where(and(...conditions));
    return rows.map((row) => row.id);
  }

  async purgeReceivedBefore(cutoff: Date): Promise<number> {
    const purged = await this.db
      .delete(events)
      .where(lt(events.receivedAt, cutoff))
      .returning({ id: events.id });
    return purged.length;
  }
}

/**
 * The jobs of one event report one after the other: without this lock, the last two to
 * finish could each still see the other open, and the run would never complete.
 */
async function lockEvent(tx: PostgresTx, appId: string, id: string): Promise<void> {
  await tx
    .select({ id: events.id })
    .from(events)
    .where(and(eq(events.appId, appId), eq(events.id, id)))
    .for("update");
}

/** A job's counts and follow-ups, added to its run. */
async function addReport(tx: PostgresTx, appId: string, id: string, run: number, report: JobReport) {
  const { counts } = report;
  await tx
    .update(events)
    .set({
      tokens: sql`${events.tokens} + ${report.newTokens}`,
      sent: sql`${events.sent} + ${counts.sent}`,
      failed: sql`${events.failed} + ${counts.failed}`,
      invalidTokens: sql`${events.invalidTokens} + ${counts.invalidTokens}`,
      expired: sql`${events.expired} + ${counts.expired}`,
    })
    .where(ofRun(appId, id, run));
  await openJobs(tx, appId, id, run, report.followUps);
}

async function openJobs(
  tx: PostgresTx,
  appId: string,
  id: string,
  run: number,
  jobIds: string[],
): Promise<void> {
  for (const part of chunks(jobIds, rowsPerInsert)) {
    await tx
      .insert(eventJobs)
      .values(part.map((jobId) => ({ appId, eventId: id, run, jobId, open: true })))
      .onConflictDoNothing();
  }
}

/** A run with no open job is over: `expired` when a token ran out of time, else `completed`. */
async function completeIfDone(tx: PostgresTx, appId: string, id: string, run: number): Promise<void> {
  const openJob = tx
    .select({ jobId: eventJobs.jobId })
    .from(eventJobs)
    .where(and(ofJobs(appId, id, run), eq(eventJobs.open, true)));
  await tx
    .update(events)
    .set({
      status: sql`case when ${events.expired} > 0 then 'expired' else 'completed' end`,
      completedAt: new Date(),
    })
    .where(and(ofRun(appId, id, run), eq(events.status, "processing"), notExists(openJob)));
}

function ofRun(appId: string, id: string, run: number) {
  return and(eq(events.appId, appId), eq(events.id, id), eq(events.run, run));
}

function ofJobs(appId: string, id: string, run: number) {
  return and(eq(eventJobs.appId, appId), eq(eventJobs.eventId, id), eq(eventJobs.run, run));
}
