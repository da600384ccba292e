import { and, desc, eq, gte, inArray, lt, lte, or, sql } from "drizzle-orm";
import type { EventListQuery, EventRecord, Reservation } from "../../domain/events/event-record.js";
import type {
  DeliveryProgress,
  EventRepository,
  EventToReserve,
  RunStart,
} from "../../domain/events/event-repository.js";
import type { LiveEvent } from "../../domain/events/live-event.js";
import { events } from "./schema/index.js";
import type { SqliteDb } from "./sqlite-store.js";

type EventRow = typeof events.$inferSelect;

/** SQLite caps bound parameters per statement; id lists are cut to this size. */
const idsPerStatement = 500;

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

export class SqliteEventRepository implements EventRepository {
  constructor(private readonly db: SqliteDb) {}

  async reserve(appId: string, toReserve: EventToReserve[]): Promise<Reservation[]> {
    return this.db.transaction((tx) =>
      toReserve.map(({ event, mode, receivedAt }) => {
        const inserted = tx
          .insert(events)
          .values({
            appId,
            id: event.id,
            type: event.type,
            mode,
            status: "received",
            payload: event,
            receivedAt,
          })
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
    return row && row.status !== "received" ? toRecord(row) : null;
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
      .map(toRecord);
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
    audience: { recipients: number; suppressed: number; jobs: number },
  ): Promise<void> {
    const done = audience.jobs === 0;
    this.db
      .update(events)
      .set({
        recipients: audience.recipients,
        suppressed: audience.suppressed,
        openJobs: audience.jobs,
        ...(done ? { status: "completed" as const, completedAt: new Date() } : {}),
      })
      .where(and(eq(events.appId, appId), eq(events.id, id), eq(events.run, run)))
      .run();
  }

  async recordDeliveries(appId: string, id: string, run: number, progress: DeliveryProgress): Promise<void> {
    const { counts, jobsDone, jobsAdded } = progress;
    const openJobs = sql`${events.openJobs} - ${jobsDone} + ${jobsAdded}`;
    const expired = sql`${events.expired} + ${counts.expired}`;
    this.db
      .update(events)
      .set({
        tokens: sql`${events.tokens} + ${progress.newTokens}`,
        sent: sql`${events.sent} + ${counts.sent}`,
        failed: sql`${events.failed} + ${counts.failed}`,
        invalidTokens: sql`${events.invalidTokens} + ${counts.invalidTokens}`,
        expired,
        openJobs,
        status: sql`case when ${openJobs} > 0 then ${events.status} when ${expired} > 0 then 'expired' else 'completed' end`,
        completedAt: sql`case when ${openJobs} > 0 then null else ${Date.now()} end`,
      })
      .where(and(eq(events.appId, appId), eq(events.id, id), eq(events.run, run)))
      .run();
  }

  async markFailed(appId: string, id: string, run: number, error: string): Promise<void> {
    this.db
      .update(events)
      .set({ status: "failed", error, completedAt: new Date() })
      .where(and(eq(events.appId, appId), eq(events.id, id), eq(events.run, run)))
      .run();
  }

  async replay(appId: string, id: string): Promise<number | null> {
    const row = this.db
      .update(events)
      .set({
        status: "queued",
        run: sql`${events.run} + 1`,
        recipients: 0,
        suppressed: 0,
        tokens: 0,
        sent: 0,
        failed: 0,
        invalidTokens: 0,
        expired: 0,
        openJobs: 0,
        error: null,
        completedAt: null,
      })
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

function toRecord(row: EventRow): EventRecord {
  return {
    appId: row.appId,
    id: row.id,
    type: row.type,
    mode: row.mode,
    status: row.status as EventRecord["status"],
    payload: row.payload as LiveEvent,
    receivedAt: row.receivedAt,
    completedAt: row.completedAt,
    expiresAt: row.expiresAt,
    run: row.run,
    recipients: row.recipients,
    suppressed: row.suppressed,
    tokens: row.tokens,
    sent: row.sent,
    failed: row.failed,
    invalidTokens: row.invalidTokens,
    expired: row.expired,
    openJobs: row.openJobs,
    error: row.error,
  };
}
