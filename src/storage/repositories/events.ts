import { sql } from "drizzle-orm";
import { batchPerTurn } from "../../common/batch-per-turn.js";
import type { AppMode } from "../../domain/apps/app.js";
import type {
  AudienceCounts,
  DeliveryCounts,
  EventListQuery,
  EventRecord,
  EventStatus,
  Reservation,
  WebhookAttemptRecord,
  WebhookOutcome,
} from "../../domain/events/event-record.js";
import type {
  AudienceRecording,
  EventPage,
  EventRepository,
  EventSearch,
  EventToReserve,
  JobReport,
  QueuedRun,
  RunAudience,
  RunStart,
} from "../../domain/events/event-repository.js";
import type { LiveEvent } from "../../domain/events/live-event.js";
import type { SqlDatabase } from "../sql/database.js";
import { type DialectFragments, type Placeholders, statement } from "../sql/statement.js";
import { readJson, readOptionalTime, readTime } from "../sql/values.js";

interface EventRow {
  app_id: string;
  id: string;
  type: string;
  mode: AppMode;
  /** `received` = written but not yet in the queue: not accepted, invisible to the API. */
  status: EventStatus;
  payload: unknown;
  received_at: unknown;
  completed_at: unknown;
  expires_at: unknown;
  run: number;
  recipients: number;
  suppressed: number;
  suppressed_by: unknown;
  tokens: number;
  sent: number;
  failed: number;
  invalid_tokens: number;
  expired: number;
  silenced: number;
  folded: number;
  error: string | null;
  webhook_outcome: WebhookOutcome | null;
}

const eventColumns = sql.raw(
  "app_id, id, type, mode, status, payload, received_at, completed_at, expires_at, run, recipients, suppressed, suppressed_by, tokens, sent, failed, invalid_tokens, expired, silenced, folded, error, webhook_outcome",
);

function toEventRecord(row: EventRow): EventRecord {
  return {
    appId: row.app_id,
    id: row.id,
    type: row.type,
    mode: row.mode,
    status: row.status as EventStatus,
    payload: readJson<LiveEvent>(row.payload),
    receivedAt: readTime(row.received_at),
    completedAt: readOptionalTime(row.completed_at),
    expiresAt: readOptionalTime(row.expires_at),
    run: row.run,
    recipients: row.recipients,
    suppressed: row.suppressed,
    suppressedBy: readJson(row.suppressed_by),
    tokens: row.tokens,
    sent: row.sent,
    failed: row.failed,
    invalidTokens: row.invalid_tokens,
    expired: row.expired,
    silenced: row.silenced,
    folded: row.folded,
    error: row.error,
    webhookOutcome: row.webhook_outcome,
  };
}

type OfEvent = { appId: string; id: string };
type OfRun = OfEvent & { run: number };
type Claim = { appId: string; toReserve: EventToReserve[] };

/**
 * Every id asked is claimed in one statement — the events of every request of one event-loop
 * turn, of any apps: one commit for them all. The rows it inserts are the new ones.
 */
const reserve = statement<{ events: string }, { app_id: string; id: string }>(
  "events.reserve",
  (p, d) => sql`insert into events (app_id, id, type, mode, status, payload, received_at)
    select app_id, id, type, mode, 'queued', payload, received_at
    from ${d.jsonRows(p.events, { app_id: "text", id: "text", type: "text", mode: "text", payload: "json", received_at: "time" })} as reserved
    where true
    on conflict (app_id, id) do nothing
    returning app_id, id`,
);

const release = statement<{ appId: string; ids: string[] }>(
  "events.release",
  (p, d) => sql`delete from events
    where app_id = ${p.appId} and id in ${d.list(p.ids)} and status = 'queued' and run = 0`,
);

const queuedBefore = statement<{ appId: string; before: Date; limit: number }, { id: string; run: number }>(
  "events.queued_before",
  (p) => sql`select id, run from events
    where app_id = ${p.appId} and status = 'queued' and received_at < ${p.before}
    order by received_at, id limit ${p.limit}`,
);

const openJobIds = statement<OfRun & { limit: number }, { job_id: string }>(
  "events.open_job_ids",
  (p) => sql`select job_id from event_jobs
    where app_id = ${p.appId} and event_id = ${p.id} and run = ${p.run} and open = ${true}
    order by job_id limit ${p.limit}`,
);

const find = statement<OfEvent, EventRow>(
  "events.find",
  (p) => sql`select ${eventColumns} from events where app_id = ${p.appId} and id = ${p.id}`,
);

const list = statement<
  {
    appId: string;
    status: EventStatus | null;
    since: Date | null;
    until: Date | null;
    beforeReceivedAt: Date | null;
    beforeId: string | null;
    limit: number;
  },
  EventRow
>(
  "events.list",
  (p, d) => sql`select ${eventColumns} from events
    where app_id = ${p.appId}
      and (cast(${p.status} as text) is null or status = ${p.status})
      and (${d.time(p.since)} is null or received_at >= ${d.time(p.since)})
      and (${d.time(p.until)} is null or received_at <= ${d.time(p.until)})
      and (${d.time(p.beforeReceivedAt)} is null or received_at < ${d.time(p.beforeReceivedAt)}
        or (received_at = ${d.time(p.beforeReceivedAt)} and id < ${p.beforeId}))
    order by received_at desc, id desc
    limit cast(${p.limit} as integer)`,
);

/** A run that may still be processed: not finished, not failed. */
function runKey(appId: string, id: string, run: number): string {
  return JSON.stringify([appId, id, run]);
}

const unfinished = sql.raw("status in ('queued', 'processing')");

/**
 * The runs asked (of any apps at once: the worker's jobs of one event-loop turn together), each
 * with its payload while it is current. A subquery per run asked, so that each is one lookup of
 * the primary key: joined, PostgreSQL planned a scan of all unfinished events.
 */
const currentRuns = statement<
  { runs: string },
  { app_id: string; id: string; run: number; payload: unknown }
>(
  "events.current_runs",
  (p, d) => sql`select asked.app_id, asked.id, asked.run, (select events.payload from events
      where events.app_id = asked.app_id and events.id = asked.id and events.run = asked.run and ${unfinished}
    ) as payload
    from ${d.jsonRows(p.runs, { app_id: "text", id: "text", run: "integer" })} as asked`,
);

/** Opens the jobs that follow (fan-out chunks, retries, the webhook call): the run waits for each to report. */
const openJobs = statement<OfRun & { jobIds: string[] }>(
  "events.open_jobs",
  (p, d) => sql`insert into event_jobs (app_id, event_id, run, job_id, open)
    select cast(${p.appId} as text), cast(${p.id} as text), cast(${p.run} as integer), value, ${true}
    from ${d.list(p.jobIds)} as jobs
    where true on conflict do nothing`,
);

/** A job that reported with the event stage: closed from the start. Nothing when it reported before. */
const addReportedJob = statement<OfRun & { jobId: string }, { job_id: string }>(
  "events.add_reported_job",
  (p) => sql`insert into event_jobs (app_id, event_id, run, job_id, open)
    values (${p.appId}, ${p.id}, ${p.run}, ${p.jobId}, ${false})
    on conflict do nothing
    returning job_id`,
);

/** Decides whether a job reports: only the first of its runs closes it (a job run again after a crash reports nothing twice). */
const closeJob = statement<OfRun & { jobId: string }, { job_id: string }>(
  "events.close_job",
  (p) => sql`update event_jobs set open = ${false}
    where app_id = ${p.appId} and event_id = ${p.id} and run = ${p.run} and job_id = ${p.jobId} and open = ${true}
    returning job_id`,
);

type Counts = DeliveryCounts & { newTokens: number };

const countsSet = (p: Record<keyof Counts, ReturnType<typeof sql>>) =>
  sql`tokens = tokens + ${p.newTokens}, sent = sent + ${p.sent}, failed = failed + ${p.failed},
    invalid_tokens = invalid_tokens + ${p.invalidTokens}, expired = expired + ${p.expired},
    silenced = silenced + ${p.silenced}, folded = folded + ${p.folded}`;

/**
 * Adds a job's counts to its run. On PostgreSQL this also locks the event's row until the
 * transaction ends: the jobs of one event then finish one after the other, and the completion
 * check that follows (a statement of its own, so it sees the jobs that finished before) cannot
 * miss the last one.
 */
const addCounts = statement<OfRun & Counts, { run: number }>(
  "events.add_counts",
  (p) => sql`update events set ${countsSet(p)}
    where app_id = ${p.appId} and id = ${p.id} and run = ${p.run}
    returning run`,
);

const noOpenJob = sql.raw(`not exists (select 1 from event_jobs
  where event_jobs.app_id = events.app_id and event_jobs.event_id = events.id
    and event_jobs.run = events.run and event_jobs.open = true)`);

/**
 * The event stage found the recipients: the run is processing, with the counts of an inline
 * delivery if any, or already over when no job follows. No job of the run can be reporting
 * at the same time except those of an earlier, crashed event stage, and those lock the row.
 */
const recordAudience = statement<
  OfRun &
    Counts & { expiresAt: Date; recipients: number; suppressed: number; suppressedBy: string; now: Date },
  { run: number }
>(
  "events.record_audience",
  (p, d) => sql`update events set
      status = case when ${noOpenJob}
        then case when expired + ${p.expired} > 0 then 'expired' else 'completed' end
        else 'processing' end,
      completed_at = case when ${noOpenJob} then ${d.time(p.now)} else null end,
      expires_at = ${p.expiresAt},
      recipients = ${p.recipients}, suppressed = ${p.suppressed}, suppressed_by = ${p.suppressedBy},
      ${countsSet(p)}
    where app_id = ${p.appId} and id = ${p.id} and run = ${p.run} and ${unfinished}
    returning run`,
);

/**
 * `recordAudience`'s transaction as one PostgreSQL statement (data-modifying CTEs), one round
 * trip instead of four on the 1:1 path. The sub-statements share one snapshot, so the run
 * completes only when no job of it is open in that snapshot and every follow-up named is
 * already there (closed): the follow-ups inserted here are not visible to the update. Nothing
 * but the delivered job's own report is written when the run is no longer current.
 */
const recordAudienceAtOnce = statement<
  OfRun &
    Counts & {
      deliveredJobId: string | null;
      jobIds: string[];
      deliveredFollowUps: string[];
      expiresAt: Date;
      recipients: number;
      suppressed: number;
      suppressedBy: string;
      now: Date;
    },
  { current: number; reported: number }
>("events.record_audience_at_once", (p, d) => {
  const ofThisRun = sql`app_id = ${p.appId} and event_id = ${p.id} and run = ${p.run}`;
  const ifReported = (value: ReturnType<typeof sql>) =>
    sql`case when exists (select 1 from reported) then ${value} else 0 end`;
  const done = sql`(${noOpenJob} and not exists (select 1 from follow_ups
      where not exists (select 1 from event_jobs where ${ofThisRun} and job_id = follow_ups.job_id)))`;
  return sql`with reported as (
      insert into event_jobs (app_id, event_id, run, job_id, open)
      select ${p.appId}, ${p.id}, ${p.run}, cast(${p.deliveredJobId} as text), ${false}
      where cast(${p.deliveredJobId} as text) is not null
      on conflict do nothing
      returning job_id
    ), follow_ups as (
      select unnest(cast(${p.jobIds} as text[]) || case when exists (select 1 from reported)
        then cast(${p.deliveredFollowUps} as text[]) else cast('{}' as text[]) end) as job_id
    ), current_run as (
      update events set
        status = case when ${done}
          then case when expired + ${ifReported(p.expired)} > 0 then 'expired' else 'completed' end
          else 'processing' end,
        completed_at = case when ${done} then ${d.time(p.now)} else null end,
        expires_at = ${p.expiresAt},
        recipients = ${p.recipients}, suppressed = ${p.suppressed}, suppressed_by = ${p.suppressedBy},
        tokens = tokens + ${ifReported(p.newTokens)}, sent = sent + ${ifReported(p.sent)},
        failed = failed + ${ifReported(p.failed)}, invalid_tokens = invalid_tokens + ${ifReported(p.invalidTokens)},
        expired = expired + ${ifReported(p.expired)}, silenced = silenced + ${ifReported(p.silenced)},
        folded = folded + ${ifReported(p.folded)}
      where app_id = ${p.appId} and id = ${p.id} and run = ${p.run} and ${unfinished}
      returning run
    ), opened as (
      insert into event_jobs (app_id, event_id, run, job_id, open)
      select ${p.appId}, ${p.id}, ${p.run}, job_id, ${true} from follow_ups
      where exists (select 1 from current_run)
      on conflict do nothing
    )
    select cast((select count(*) from current_run) as integer) as current,
      cast((select count(*) from reported) as integer) as reported`;
});

/** A run with no open job is over: `expired` when a token ran out of time, else `completed`. */
const completeIfDone = statement<OfRun & { now: Date }>(
  "events.complete_if_done",
  (p) => sql`update events set
      status = case when expired > 0 then 'expired' else 'completed' end, completed_at = ${p.now}
    where app_id = ${p.appId} and id = ${p.id} and run = ${p.run} and status = 'processing'
      and ${noOpenJob}`,
);

const markFailed = statement<OfRun & { error: string; now: Date }>(
  "events.mark_failed",
  (p) => sql`update events set status = 'failed', error = ${p.error}, completed_at = ${p.now}
    where app_id = ${p.appId} and id = ${p.id} and run = ${p.run}`,
);

const insertWebhookAttempt = statement<
  OfEvent & {
    run: number;
    at: Date;
    statusCode: number | null;
    durationMs: number;
    error: string | null;
    response: string | null;
    request: string | null;
  }
>(
  "events.insert_webhook_attempt",
  (p) => sql`insert into webhook_attempts
      (app_id, event_id, run, at, status_code, duration_ms, error, response, request)
    values (${p.appId}, ${p.id}, ${p.run}, ${p.at}, ${p.statusCode}, ${p.durationMs}, ${p.error}, ${p.response},
      ${p.request})`,
);

const recordWebhookOutcome = statement<OfRun & { outcome: WebhookOutcome }>(
  "events.record_webhook_outcome",
  (p) => sql`update events set webhook_outcome = ${p.outcome}
    where app_id = ${p.appId} and id = ${p.id} and run = ${p.run}`,
);

/** The customer edited the recipients: the audience counts follow the edit. */
const recordEditedOutcome = statement<
  OfRun & { outcome: WebhookOutcome; recipients: number; suppressed: number; suppressedBy: string }
>(
  "events.record_edited_outcome",
  (p) => sql`update events set webhook_outcome = ${p.outcome},
      recipients = ${p.recipients}, suppressed = ${p.suppressed}, suppressed_by = ${p.suppressedBy}
    where app_id = ${p.appId} and id = ${p.id} and run = ${p.run}`,
);

interface WebhookAttemptRow {
  run: number;
  at: unknown;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  response: string | null;
  request: string | null;
}

const webhookAttempts = statement<OfEvent, WebhookAttemptRow>(
  "events.webhook_attempts",
  (p) => sql`select run, at, status_code, duration_ms, error, response, request from webhook_attempts
    where app_id = ${p.appId} and event_id = ${p.id} order by id`,
);

/** A replay is a new run: queued again, no counts, no outcome. */
const replay = statement<OfEvent, { run: number }>(
  "events.replay",
  (p) => sql`update events set status = 'queued', run = run + 1, recipients = 0, suppressed = 0,
      suppressed_by = ${"{}"}, tokens = 0, sent = 0, failed = 0, invalid_tokens = 0, expired = 0, silenced = 0, folded = 0,
      error = null, webhook_outcome = null, completed_at = null
    where app_id = ${p.appId} and id = ${p.id}
    returning run`,
);

/**
 * The run a replay replaced, back in place while the replayed run has not started. Should Redis
 * have taken the replayed run's job after all (a command that timed out), that job finds its run
 * no longer current and does nothing.
 */
const undoReplay = statement<
  OfEvent & {
    replayedRun: number;
    run: number;
    status: EventStatus;
    recipients: number;
    suppressed: number;
    suppressedBy: string;
    tokens: number;
    sent: number;
    failed: number;
    invalidTokens: number;
    expired: number;
    silenced: number;
    folded: number;
    error: string | null;
    webhookOutcome: WebhookOutcome | null;
    completedAt: Date | null;
  }
>(
  "events.undo_replay",
  (p) => sql`update events set status = ${p.status}, run = ${p.run}, recipients = ${p.recipients},
      suppressed = ${p.suppressed}, suppressed_by = ${p.suppressedBy}, tokens = ${p.tokens},
      sent = ${p.sent}, failed = ${p.failed}, invalid_tokens = ${p.invalidTokens}, expired = ${p.expired},
      silenced = ${p.silenced}, folded = ${p.folded}, error = ${p.error}, webhook_outcome = ${p.webhookOutcome}, completed_at = ${p.completedAt}
    where app_id = ${p.appId} and id = ${p.id} and run = ${p.replayedRun} and status = 'queued'`,
);

const idsFor = statement<
  { appId: string; status: EventStatus; since: Date | null; until: Date | null; limit: number },
  { id: string }
>(
  "events.ids_for",
  (p, d) => sql`select id from events
    where app_id = ${p.appId} and status = ${p.status}
      and (${d.time(p.since)} is null or received_at >= ${d.time(p.since)})
      and (${d.time(p.until)} is null or received_at <= ${d.time(p.until)})
    order by received_at, id
    limit cast(${p.limit} as integer)`,
);

/** An `EventSearch` as statement parameters: null is "any". */
interface SearchParams {
  appId: string;
  id: string | null;
  type: string | null;
  status: EventStatus | null;
  userId: string | null;
  channelId: string | null;
  /** Any text for "had failures"; null: not asked. */
  failures: string | null;
  since: Date | null;
  until: Date | null;
}

function searchParams(appId: string, search: EventSearch): SearchParams {
  return {
    appId,
    id: search.id ?? null,
    type: search.type ?? null,
    status: search.status ?? null,
    userId: search.userId ?? null,
    channelId: search.channelId ?? null,
    failures: search.hadFailures ? "yes" : null,
    since: search.since ?? null,
    until: search.until ?? null,
  };
}

/** The conditions of a search, shared by its page, its count and its bulk replay. */
function matching(p: Placeholders<SearchParams>, d: DialectFragments) {
  const namesUser = sql`(${d.jsonText(sql`payload`, ["actor", "id"])} = ${p.userId}
    or ${d.jsonArrayHas(sql`payload`, ["recipient_ids"], p.userId)}
    or ${d.jsonArrayHas(sql`payload`, ["channel", "member_ids"], p.userId)}
    or exists (select 1 from event_deliveries
      where event_deliveries.app_id = events.app_id and event_deliveries.event_id = events.id
        and event_deliveries.user_id = ${p.userId}))`;
  return sql`app_id = ${p.appId}
    and (cast(${p.id} as text) is null or id = ${p.id})
    and (cast(${p.type} as text) is null or type = ${p.type})
    and (cast(${p.status} as text) is null or status = ${p.status})
    and (cast(${p.channelId} as text) is null or ${d.jsonText(sql`payload`, ["channel", "id"])} = ${p.channelId})
    and (cast(${p.userId} as text) is null or ${namesUser})
    and (cast(${p.failures} as text) is null or failed > 0 or invalid_tokens > 0 or status = 'failed')
    and (${d.time(p.since)} is null or received_at >= ${d.time(p.since)})
    and (${d.time(p.until)} is null or received_at <= ${d.time(p.until)})`;
}

const search = statement<
  SearchParams & { beforeReceivedAt: Date | null; beforeId: string | null; limit: number },
  EventRow
>(
  "events.search",
  (p, d) => sql`select ${eventColumns} from events
    where ${matching(p, d)}
      and (${d.time(p.beforeReceivedAt)} is null or received_at < ${d.time(p.beforeReceivedAt)}
        or (received_at = ${d.time(p.beforeReceivedAt)} and id < ${p.beforeId}))
    order by received_at desc, id desc
    limit cast(${p.limit} as integer)`,
);

/** Counts no further than `atMost`: a count of every event of a busy app would read them all. */
const countMatching = statement<SearchParams & { atMost: number }, { count: number | string }>(
  "events.count_matching",
  (p, d) => sql`select count(*) as count from (
      select 1 from events where ${matching(p, d)} limit cast(${p.atMost} as integer)
    ) as matched`,
);

const finishedIdsMatching = statement<SearchParams & { limit: number }, { id: string }>(
  "events.finished_ids_matching",
  (p, d) => sql`select id from events
    where ${matching(p, d)} and status in ('completed', 'failed', 'expired')
    order by received_at, id
    limit cast(${p.limit} as integer)`,
);

const purgeReceivedBefore = statement<{ cutoff: Date }>(
  "events.purge_received_before",
  (p) => sql`delete from events where received_at < ${p.cutoff}`,
);

const noCounts: Counts = {
  newTokens: 0,
  sent: 0,
  failed: 0,
  invalidTokens: 0,
  expired: 0,
  silenced: 0,
  folded: 0,
};

function countsOf(report: JobReport): Counts {
  return { newTokens: report.newTokens, ...report.counts };
}

const savepoint = statement<Record<string, never>>(
  "events.audience_savepoint",
  () => sql`savepoint audience`,
);
const rollbackToSavepoint = statement<Record<string, never>>(
  "events.audience_rollback",
  () => sql`rollback to audience`,
);
const releaseSavepoint = statement<Record<string, never>>(
  "events.audience_release",
  () => sql`release audience`,
);

type AudienceToRecord = OfRun & { audience: RunAudience };

/** One run's audience, inside an open SQLite transaction (`recordAudience`). */
async function recordAudienceIn(
  tx: SqlDatabase,
  { appId, id, run, audience }: AudienceToRecord,
): Promise<AudienceRecording> {
  const { recipients, suppressed, suppressedBy, expiresAt, jobIds, delivered } = audience;
  const ofRun = { appId, id, run };
  await tx.run(savepoint, {});
  let recording: AudienceRecording = "recorded";
  let counts = noCounts;
  let followUps = jobIds;
  if (delivered) {
    if (await tx.get(addReportedJob, { ...ofRun, jobId: delivered.jobId })) {
      counts = countsOf(delivered);
      followUps = [...jobIds, ...delivered.followUps];
    } else {
      recording = "reported-before";
    }
  }
  if (followUps.length > 0) await tx.run(openJobs, { ...ofRun, jobIds: followUps });
  const current = await tx.get(recordAudience, {
    ...ofRun,
    ...counts,
    expiresAt,
    recipients,
    suppressed,
    suppressedBy: JSON.stringify(suppressedBy),
    now: new Date(),
  });
  // Rolled back: the jobs of a run that is no longer current must not stay behind.
  if (!current) {
    await tx.run(rollbackToSavepoint, {});
    recording = "not-current";
  }
  await tx.run(releaseSavepoint, {});
  return recording;
}

export class SqlEventRepository implements EventRepository {
  private readonly currentRunOf: (ref: OfRun) => Promise<RunStart | null>;
  private readonly reserveBatched: (claim: Claim) => Promise<Reservation[]>;
  private readonly recordAudienceOnSqlite: (
    recording: AudienceToRecord,
  ) => Promise<AudienceRecording | Error>;

  constructor(private readonly db: SqlDatabase) {
    this.currentRunOf = batchPerTurn((refs: OfRun[]) => this.currentRuns(refs));
    this.reserveBatched = batchPerTurn((claims: Claim[]) => this.reserveMany(claims));
    this.recordAudienceOnSqlite = batchPerTurn((recordings: AudienceToRecord[]) =>
      this.recordAudiencesOnSqlite(recordings),
    );
  }

  /** Ids distinct within one call, as the intake sends them. */
  reserve(appId: string, toReserve: EventToReserve[]): Promise<Reservation[]> {
    return this.reserveBatched({ appId, toReserve });
  }

  /**
   * The claims of one turn in one statement. An id asked twice in the turn (two requests
   * carrying one event) is new to the first claim only, as if they had come one after the other.
   */
  private async reserveMany(claims: Claim[]): Promise<Reservation[][]> {
    const asked = new Set<string>();
    const rows = claims.flatMap(({ appId, toReserve }) =>
      toReserve.flatMap(({ event, mode, receivedAt }) => {
        const key = runKey(appId, event.id, 0);
        if (asked.has(key)) return [];
        asked.add(key);
        return [
          {
            app_id: appId,
            id: event.id,
            type: event.type,
            mode,
            payload: JSON.stringify(event),
            received_at: receivedAt.getTime(),
          },
        ];
      }),
    );
    const inserted = new Set(
      (await this.db.all(reserve, { events: JSON.stringify(rows) })).map((row) =>
        runKey(row.app_id, row.id, 0),
      ),
    );
    return claims.map(({ appId, toReserve }) =>
      toReserve.map(({ event }) => {
        const key = runKey(appId, event.id, 0);
        // Taken once: the first claim of the turn that asked for it gets it.
        return inserted.delete(key) ? "new" : "duplicate";
      }),
    );
  }

  async release(appId: string, ids: string[]): Promise<void> {
    await this.db.run(release, { appId, ids });
  }

  async openJobIds(appId: string, id: string, run: number, limit: number): Promise<string[]> {
    return (await this.db.all(openJobIds, { appId, id, run, limit })).map((row) => row.job_id);
  }

  async queuedBefore(appId: string, before: Date, limit: number): Promise<QueuedRun[]> {
    const rows = await this.db.all(queuedBefore, { appId, before, limit });
    return rows.map((row) => ({ appId, id: row.id, run: row.run }));
  }

  async find(appId: string, id: string): Promise<EventRecord | null> {
    const row = await this.db.get(find, { appId, id });
    return row ? toEventRecord(row) : null;
  }

  async list(appId: string, query: EventListQuery): Promise<EventRecord[]> {
    const rows = await this.db.all(list, {
      appId,
      status: query.status ?? null,
      since: query.since ?? null,
      until: query.until ?? null,
      beforeReceivedAt: query.before?.receivedAt ?? null,
      beforeId: query.before?.id ?? null,
      limit: query.limit,
    });
    return rows.map(toEventRecord);
  }

  /** The runs the jobs of one event-loop turn start are read together, in one statement. */
  currentRun(appId: string, id: string, run: number): Promise<RunStart | null> {
    return this.currentRunOf({ appId, id, run });
  }

  private async currentRuns(refs: OfRun[]): Promise<(RunStart | null)[]> {
    const asked = refs.map(({ appId, id, run }) => ({ app_id: appId, id, run }));
    const rows = await this.db.all(currentRuns, { runs: JSON.stringify(asked) });
    const current = new Map(
      rows.filter((row) => row.payload !== null).map((row) => [runKey(row.app_id, row.id, row.run), row]),
    );
    return refs.map(({ appId, id, run }) => {
      const row = current.get(runKey(appId, id, run));
      return row ? { run: row.run, payload: readJson<LiveEvent>(row.payload) } : null;
    });
  }

  async recordAudience(
    appId: string,
    id: string,
    run: number,
    audience: RunAudience,
  ): Promise<AudienceRecording> {
    const { recipients, suppressed, suppressedBy, expiresAt, jobIds, delivered } = audience;
    const ofRun = { appId, id, run };
    if (this.db.dialect === "postgres") {
      const row = await this.db.get(recordAudienceAtOnce, {
        ...ofRun,
        ...(delivered ? countsOf(delivered) : noCounts),
        deliveredJobId: delivered?.jobId ?? null,
        jobIds,
        deliveredFollowUps: delivered?.followUps ?? [],
        expiresAt,
        recipients,
        suppressed,
        suppressedBy: JSON.stringify(suppressedBy),
        now: new Date(),
      });
      if (!row?.current) return "not-current";
      return delivered && !row.reported ? "reported-before" : "recorded";
    }
    const recorded = await this.recordAudienceOnSqlite({ ...ofRun, audience });
    if (recorded instanceof Error) throw recorded;
    return recorded;
  }

  /**
   * The recordings of one turn in one SQLite transaction, one commit: each in a savepoint of its
   * own, so that a run no longer current leaves none of its rows. When the transaction fails, each
   * is tried again alone, so that only the one at fault fails.
   */
  private async recordAudiencesOnSqlite(
    recordings: AudienceToRecord[],
  ): Promise<(AudienceRecording | Error)[]> {
    try {
      return await this.db.transaction(async (tx) => {
        const recorded: AudienceRecording[] = [];
        for (const recording of recordings) recorded.push(await recordAudienceIn(tx, recording));
        return recorded;
      });
    } catch (error) {
      if (recordings.length === 1) return [error as Error];
    }
    const alone = await Promise.allSettled(
      recordings.map((recording) => this.db.transaction((tx) => recordAudienceIn(tx, recording))),
    );
    return alone.map((outcome) =>
      outcome.status === "fulfilled" ? outcome.value : (outcome.reason as Error),
    );
  }

  async recordJobDone(appId: string, id: string, run: number, report: JobReport): Promise<boolean> {
    const ofRun = { appId, id, run };
    return this.db.transaction(async (tx) => {
      if (!(await tx.get(closeJob, { ...ofRun, jobId: report.jobId }))) return false;
      await tx.get(addCounts, { ...ofRun, ...countsOf(report) });
      if (report.followUps.length > 0) await tx.run(openJobs, { ...ofRun, jobIds: report.followUps });
      else await tx.run(completeIfDone, { ...ofRun, now: new Date() });
      return true;
    });
  }

  async markFailed(appId: string, id: string, run: number, error: string): Promise<void> {
    await this.db.run(markFailed, { appId, id, run, error, now: new Date() });
  }

  async recordWebhookAttempt(appId: string, id: string, attempt: WebhookAttemptRecord): Promise<void> {
    await this.db.run(insertWebhookAttempt, { appId, id, ...attempt });
  }

  async recordWebhookOutcome(
    appId: string,
    id: string,
    run: number,
    outcome: WebhookOutcome,
    audience?: AudienceCounts,
  ): Promise<void> {
    if (!audience) {
      await this.db.run(recordWebhookOutcome, { appId, id, run, outcome });
      return;
    }
    await this.db.run(recordEditedOutcome, {
      appId,
      id,
      run,
      outcome,
      recipients: audience.recipients,
      suppressed: audience.suppressed,
      suppressedBy: JSON.stringify(audience.suppressedBy),
    });
  }

  async webhookAttempts(appId: string, id: string): Promise<WebhookAttemptRecord[]> {
    const rows = await this.db.all(webhookAttempts, { appId, id });
    return rows.map((row) => ({
      run: row.run,
      at: readTime(row.at),
      statusCode: row.status_code,
      durationMs: row.duration_ms,
      error: row.error,
      response: row.response,
      request: row.request,
    }));
  }

  async replay(appId: string, id: string): Promise<number | null> {
    const row = await this.db.get(replay, { appId, id });
    return row?.run ?? null;
  }

  async undoReplay(previous: EventRecord, replayedRun: number): Promise<void> {
    await this.db.run(undoReplay, {
      appId: previous.appId,
      id: previous.id,
      replayedRun,
      run: previous.run,
      status: previous.status,
      recipients: previous.recipients,
      suppressed: previous.suppressed,
      suppressedBy: JSON.stringify(previous.suppressedBy),
      tokens: previous.tokens,
      sent: previous.sent,
      failed: previous.failed,
      invalidTokens: previous.invalidTokens,
      expired: previous.expired,
      silenced: previous.silenced,
      folded: previous.folded,
      error: previous.error,
      webhookOutcome: previous.webhookOutcome,
      completedAt: previous.completedAt,
    });
  }

  async idsFor(
    appId: string,
    filter: { status: EventRecord["status"]; since?: Date; until?: Date },
    limit: number,
  ): Promise<string[]> {
    const rows = await this.db.all(idsFor, {
      appId,
      status: filter.status,
      since: filter.since ?? null,
      until: filter.until ?? null,
      limit,
    });
    return rows.map((row) => row.id);
  }

  async search(appId: string, query: EventSearch, page: EventPage): Promise<EventRecord[]> {
    const rows = await this.db.all(search, {
      ...searchParams(appId, query),
      beforeReceivedAt: page.before?.receivedAt ?? null,
      beforeId: page.before?.id ?? null,
      limit: page.limit,
    });
    return rows.map(toEventRecord);
  }

  async countMatching(appId: string, query: EventSearch, atMost: number): Promise<number> {
    const row = await this.db.get(countMatching, { ...searchParams(appId, query), atMost });
    return Number(row?.count ?? 0);
  }

  async finishedIdsMatching(appId: string, query: EventSearch, limit: number): Promise<string[]> {
    const rows = await this.db.all(finishedIdsMatching, { ...searchParams(appId, query), limit });
    return rows.map((row) => row.id);
  }

  async purgeReceivedBefore(cutoff: Date): Promise<number> {
    return this.db.run(purgeReceivedBefore, { cutoff });
  }
}
