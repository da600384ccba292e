import { and, desc, eq, gte, inArray, lt, lte, or, sql } from "drizzle-orm";
import type {
  AudienceCounts,
  EventListQuery,
  EventRecord,
  Reservation,
  WebhookAttemptRecord,
  WebhookOutcome,
} from "../../domain/events/event-record.js";
import type {
  EventRepository,
  EventToReserve,
  JobReport,
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
import { eventJobs, events, webhookAttempts } from "./schema/index.js";
import type { SqliteDb } from "./sqlite-store.js";

type SqliteTx = Parameters<Parameters<SqliteDb["transaction"]>[0]>[0];

/** SQLite caps bound parameters per statement; id lists are cut to this size. */
const idsPerStatement = 500;

export class SqliteEventRepository implements EventRepository {
  constructor(private readonly db: SqliteDb) {}

  async reserve(appId: string, toReserve: EventToReserve[]): Promise<Reservation[]> {
    return this.db.transaction((tx) =>
      toReserve.map((reserved) => {
        const { event, mode, receivedAt } = reserved;
        const inserted = tx
          .insert(events)
          .values(reservedEventRow(appId, reserved))
          .onConflictDoNothing()
          .run();
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
    for (const part of chunks(ids, idsPerStatement)) {
      this.db
        .update(events)
        .set({ status: "queued" })
        .where(and(eq(events.appId, appId), inArray(events.id, part), eq(events.status, "received")))
        .run();
    }
  }

  async release(appId: string, ids: string[]): Promise<void> {
    for (const part of chunks(ids, idsPerStatement)) {
      this.db
        .delete(events)
        .where(and(eq(events.appId, appId), inArray(events.id, part), eq(events.status, "received")))
        .run();
    }
  }

  async find(appId: string, id: string): Promise<EventRecord | null> {
    const row = this.db
      .select()
      .from(events)
      .where(and(eq(events.appId, appId), eq(events.id, id)))
      .get();
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

  async startRun(appId: string, id: string, run: number, expiresAt: Date): Promise<RunStart | null> {
    const row = this.db
      .update(events)
      .set({ status: "processing", expiresAt })
      .where(
        and(
          eq(events.appId, appId),
          eq(events.id, id),
          eq(events.run, run),
          inArray(events.status, ["received", "queued", "processing"]),
        ),
      )
      .returning({ run: events.run, payload: events.payload })
      .get();
    return row ? { run: row.run, payload: row.payload as LiveEvent } : null;
  }

  async recordAudience(
    appId: string,
    id: string,
    run: number,
    audience: AudienceCounts & { jobIds: string[] },
  ): Promise<void> {
    this.db.transaction((tx) => {
      tx.update(events)
        .set({
          recipients: audience.recipients,
          suppressed: audience.suppressed,
          suppressedBy: audience.suppressedBy,
        })
        .where(this.ofRun(appId, id, run))
        .run();
      this.openJobs(tx, appId, id, run, audience.jobIds);
      this.completeIfDone(tx, appId, id, run);
    });
  }

  async recordJobDone(appId: string, id: string, run: number, report: JobReport): Promise<boolean> {
    const { counts } = report;
    return this.db.transaction((tx) => {
      const closed = tx
        .update(eventJobs)
        .set({ open: false })
        .where(
          and(
            eq(eventJobs.appId, appId),
            eq(eventJobs.eventId, id),
            eq(eventJobs.run, run),
            eq(eventJobs.jobId, report.jobId),
            eq(eventJobs.open, true),
          ),
        )
        .run();
      if (closed.changes === 0) return false;
      tx.update(events)
        .set({
          tokens: sql`${events.tokens} + ${report.newTokens}`,
          sent: sql`${events.sent} + ${counts.sent}`,
          failed: sql`${events.failed} + ${counts.failed}`,
          invalidTokens: sql`${events.invalidTokens} + ${counts.invalidTokens}`,
          expired: sql`${events.expired} + ${counts.expired}`,
        })
        .where(this.ofRun(appId, id, run))
        .run();
      this.openJobs(tx, appId, id, run, report.followUps);
      this.completeIfDone(tx, appId, id, run);
      return true;
    });
  }

  private openJobs(tx: SqliteTx, appId: string, id: string, run: number, jobIds: string[]): void {
    for (const part of chunks(jobIds, idsPerStatement / 5)) {
      tx.insert(eventJobs)
        .values(part.map((jobId) => ({ appId, eventId: id, run, jobId, open: true })))
        .onConflictDoNothing()
        .run();
    }
  }

  /** A run with no open job is over: `expired` when a token ran out of time, else `completed`. */
  private completeIfDone(tx: SqliteTx, appId: string, id: string, run: number): void {
    const open = tx
      .select({ jobId: eventJobs.jobId })
      .from(eventJobs)
      .where(
        and(
          eq(eventJobs.appId, appId),
          eq(eventJobs.eventId, id),
          eq(eventJobs.run, run),
          eq(eventJobs.open, true),
        ),
      )
      .limit(1)
      .get();
    if (open) return;
    tx.update(events)
      .set({
        status: sql`case when ${events.expired} > 0 then 'expired' else 'completed' end`,
        completedAt: new Date(),
      })
      .where(and(this.ofRun(appId, id, run), eq(events.status, "processing")))
      .run();
  }

  private ofRun(appId: string, id: string, run: number) {
    return and(eq(events.appId, appId), eq(events.id, id), eq(events.run, run));
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
