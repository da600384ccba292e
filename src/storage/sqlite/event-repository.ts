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
import { pickColumns } from "../mapping/columns.js";
import {
  replayedEventColumns,
  reservedEventRow,
  toEventRecord,
  webhookAttemptKeys,
} from "../mapping/events.js";
import { jsonListPlaceholder } from "./json-list.js";
import { eventJobs, events, webhookAttempts } from "./schema/index.js";
import type { SqliteDb } from "./sqlite-store.js";

const param = sql.placeholder;
// Placeholders wrapped in sql`` are bound as given: timestamps go in as epoch milliseconds,
// the `timestamp_ms` columns' storage.
const unfinished = inArray(events.status, ["received", "queued", "processing"]);
const ofRunParams = and(
  eq(events.appId, param("appId")),
  eq(events.id, param("id")),
  eq(events.run, param("run")),
);

/**
 * The statements every event runs, built and compiled once: building drizzle queries took
 * about a third of a worker's time per job.
 */
function preparedStatements(db: SqliteDb) {
  const receivedWithIds = and(
    eq(events.appId, param("appId")),
    inArray(events.id, jsonListPlaceholder("ids")),
    eq(events.status, "received"),
  );
  return {
    reserve: db
      .insert(events)
      .values({
        appId: param("appId"),
        id: param("id"),
        type: param("type"),
        mode: param("mode"),
        status: "received",
        payload: param("payload"),
        receivedAt: param("receivedAt"),
      })
      .onConflictDoNothing()
      .prepare(),
    /** A job of a run: open while it is to report, closed when it reported with the event stage. */
    addJob: db
      .insert(eventJobs)
      .values({
        appId: param("appId"),
        eventId: param("id"),
        run: param("run"),
        jobId: param("jobId"),
        open: param("open"),
      })
      .onConflictDoNothing()
      .prepare(),
    markQueued: db.update(events).set({ status: "queued" }).where(receivedWithIds).prepare(),
    release: db.delete(events).where(receivedWithIds).prepare(),
    find: db
      .select()
      .from(events)
      .where(and(eq(events.appId, param("appId")), eq(events.id, param("id"))))
      .prepare(),
    currentRun: db
      .select({ run: events.run, payload: events.payload })
      .from(events)
      .where(and(ofRunParams, unfinished))
      .prepare(),
    recordAudience: db
      .update(events)
      .set({
        status: "processing",
        expiresAt: sql`${param("expiresAtMs")}`,
        recipients: sql`${param("recipients")}`,
        suppressed: sql`${param("suppressed")}`,
        suppressedBy: param("suppressedBy"),
      })
      .where(and(ofRunParams, unfinished))
      .prepare(),
    closeJob: db
      .update(eventJobs)
      .set({ open: false })
      .where(
        and(
          eq(eventJobs.appId, param("appId")),
          eq(eventJobs.eventId, param("id")),
          eq(eventJobs.run, param("run")),
          eq(eventJobs.jobId, param("jobId")),
          eq(eventJobs.open, true),
        ),
      )
      .prepare(),
    addCounts: db
      .update(events)
      .set({
        tokens: sql`${events.tokens} + ${param("newTokens")}`,
        sent: sql`${events.sent} + ${param("sent")}`,
        failed: sql`${events.failed} + ${param("failed")}`,
        invalidTokens: sql`${events.invalidTokens} + ${param("invalidTokens")}`,
        expired: sql`${events.expired} + ${param("expired")}`,
      })
      .where(ofRunParams)
      .prepare(),
    // A run with no open job is over: `expired` when a token ran out of time, else `completed`.
    completeIfDone: db
      .update(events)
      .set({
        status: sql`case when ${events.expired} > 0 then 'expired' else 'completed' end`,
        completedAt: sql`${param("completedAtMs")}`,
      })
      .where(
        and(
          ofRunParams,
          eq(events.status, "processing"),
          notExists(
            db
              .select({ open: eventJobs.open })
              .from(eventJobs)
              .where(
                and(
                  eq(eventJobs.appId, events.appId),
                  eq(eventJobs.eventId, events.id),
                  eq(eventJobs.run, events.run),
                  eq(eventJobs.open, true),
                ),
              ),
          ),
        ),
      )
      .prepare(),
  };
}

export class SqliteEventRepository implements EventRepository {
  private readonly statements: ReturnType<typeof preparedStatements>;

  constructor(private readonly db: SqliteDb) {
    this.statements = preparedStatements(db);
  }

  async reserve(appId: string, toReserve: EventToReserve[]): Promise<Reservation[]> {
    return this.db.transaction((tx) =>
      toReserve.map((reserved) => {
        const { event, mode, receivedAt } = reserved;
        const inserted = this.statements.reserve.run(reservedEventRow(appId, reserved));
        if (inserted.changes > 0) return "new";
        // Written by an earlier request whose enqueue failed: that one was never accepted.
        const retaken = tx
          .update(events)
          .set({ type: event.type, mode, payload: event, receivedAt })
          .where(and(eq(events.appId, appId), eq(events.id, event.id), eq(events.status, "received")))
          .run();
        return retaken.changes > 0 ? "new" : "duplicate";
      }),
    );
  }

  async markQueued(appId: string, ids: string[]): Promise<void> {
    this.statements.markQueued.run({ appId, ids: JSON.stringify(ids) });
  }

  async release(appId: string, ids: string[]): Promise<void> {
    this.statements.release.run({ appId, ids: JSON.stringify(ids) });
  }

  async find(appId: string, id: string): Promise<EventRecord | null> {
    const row = this.statements.find.get({ appId, id });
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
    return this.db
      .select()
      .from(events)
      .where(and(...conditions))
      .orderBy(desc(events.receivedAt), desc(events.id))
      .limit(query.limit)
      .all()
      .map(toEventRecord);
  }

  async currentRun(appId: string, id: string, run: number): Promise<RunStart | null> {
    const row = this.statements.currentRun.get({ appId, id, run });
    return row ? { run: row.run, payload: row.payload as LiveEvent } : null;
  }

  async recordAudience(
    appId: string,
    id: string,
    run: number,
    audience: RunAudience,
  ): Promise<AudienceRecording> {
    const { recipients, suppressed, suppressedBy, expiresAt, jobIds, delivered } = audience;
    return this.db.transaction(() => {
      const expiresAtMs = expiresAt.getTime();
      const current = this.statements.recordAudience.run({
        appId,
        id,
        run,
        expiresAtMs,
        recipients,
        suppressed,
        suppressedBy,
      });
      if (current.changes === 0) return "not-current";
      this.openJobs(appId, id, run, jobIds);
      let recording: AudienceRecording = "recorded";
      if (delivered) {
        const first = this.statements.addJob.run({ appId, id, run, jobId: delivered.jobId, open: false });
        if (first.changes > 0) this.addReport(appId, id, run, delivered);
        else recording = "reported-before";
      }
      // Jobs just opened keep the run going; only a run without any is over already.
      if (jobIds.length === 0) this.completeIfDone(appId, id, run);
      return recording;
    });
  }

  async recordJobDone(appId: string, id: string, run: number, report: JobReport): Promise<boolean> {
    return this.db.transaction(() => {
      const closed = this.statements.closeJob.run({ appId, id, run, jobId: report.jobId });
      if (closed.changes === 0) return false;
      this.addReport(appId, id, run, report);
      if (report.followUps.length === 0) this.completeIfDone(appId, id, run);
      return true;
    });
  }

  private addReport(appId: string, id: string, run: number, report: JobReport): void {
    this.statements.addCounts.run({ appId, id, run, newTokens: report.newTokens, ...report.counts });
    this.openJobs(appId, id, run, report.followUps);
  }

  /** Called inside the caller's transaction: one compiled insert per job is cheap there. */
  private openJobs(appId: string, id: string, run: number, jobIds: string[]): void {
    for (const jobId of jobIds) this.statements.addJob.run({ appId, id, run, jobId, open: true });
  }

  private completeIfDone(appId: string, id: string, run: number): void {
    this.statements.completeIfDone.run({ appId, id, run, completedAtMs: Date.now() });
  }

  async markFailed(appId: string, id: string, run: number, error: string): Promise<void> {
    this.db
      .update(events)
      .set({ status: "failed", error, completedAt: new Date() })
      .where(and(eq(events.appId, appId), eq(events.id, id), eq(events.run, run)))
      .run();
  }

  async recordWebhookAttempt(appId: string, id: string, attempt: WebhookAttemptRecord): Promise<void> {
    this.db
      .insert(webhookAttempts)
      .values({ appId, eventId: id, ...attempt })
      .run();
  }

  async recordWebhookOutcome(
    appId: string,
    id: string,
    run: number,
    outcome: WebhookOutcome,
    audience?: AudienceCounts,
  ): Promise<void> {
    this.db
      .update(events)
      .set({ webhookOutcome: outcome, ...audience })
      .where(and(eq(events.appId, appId), eq(events.id, id), eq(events.run, run)))
      .run();
  }

  async webhookAttempts(appId: string, id: string): Promise<WebhookAttemptRecord[]> {
    return this.db
      .select(pickColumns(webhookAttempts, webhookAttemptKeys))
      .from(webhookAttempts)
      .where(and(eq(webhookAttempts.appId, appId), eq(webhookAttempts.eventId, id)))
      .orderBy(webhookAttempts.id)
      .all();
  }

  async replay(appId: string, id: string): Promise<number | null> {
    const row = this.db
      .update(events)
      .set({ ...replayedEventColumns, run: sql`${events.run} + 1` })
      .where(and(eq(events.appId, appId), eq(events.id, id), sql`${events.status} <> 'received'`))
      .returning({ run: events.run })
      .get();
    return row?.run ?? null;
  }

  async idsFor(
    appId: string,
    filter: { status: EventRecord["status"]; since?: Date; until?: Date },
  ): Promise<string[]> {
    const conditions = [eq(events.appId, appId), eq(events.status, filter.status)];
    if (filter.since) conditions.push(gte(events.receivedAt, filter.since));
    if (filter.until) conditions.push(lte(events.receivedAt, filter.until));
    return this.db
      .select({ id: events.id })
      .from(events)
      .where(and(...conditions))
      .all()
      .map((row) => row.id);
  }

  async purgeReceivedBefore(cutoff: Date): Promise<number> {
    return this.db.delete(events).where(lt(events.receivedAt, cutoff)).run().changes;
  }
}
