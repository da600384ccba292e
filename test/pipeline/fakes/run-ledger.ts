import type {
  AudienceCounts,
  EventRecord,
  WebhookAttemptRecord,
  WebhookOutcome,
} from "../../../src/domain/events/event-record.js";
import type {
  AudienceRecording,
  JobReport,
  RunAudience,
  RunStart,
} from "../../../src/domain/events/event-repository.js";
import type { LiveEvent } from "../../../src/domain/events/live-event.js";
import type { RunLedger, WebhookLog } from "../../../src/pipeline/run-ledger.js";

interface StoredEvent {
  record: EventRecord;
  /** Per run, per job id: open (to report) or closed (reported). */
  jobs: Map<number, Map<string, boolean>>;
  attempts: WebhookAttemptRecord[];
}

const freshCounts = {
  recipients: 0,
  suppressed: 0,
  suppressedBy: {},
  tokens: 0,
  sent: 0,
  failed: 0,
  invalidTokens: 0,
  expired: 0,
  silenced: 0,
  folded: 0,
  error: null,
  webhookOutcome: null,
  completedAt: null,
};

const unfinished = new Set(["received", "queued", "processing"]);

/** The run bookkeeping of the event repository's contract, in memory. */
export class InMemoryRunLedger implements RunLedger, WebhookLog {
  private readonly events = new Map<string, StoredEvent>();

  /** An accepted event, queued for its first run. */
  accept(appId: string, event: LiveEvent, mode: EventRecord["mode"] = "direct"): void {
    const record: EventRecord = {
      appId,
      id: event.id,
      type: event.type,
      mode,
      status: "queued",
      payload: event,
      receivedAt: new Date(),
      expiresAt: null,
      run: 0,
      ...freshCounts,
    };
    this.events.set(`${appId}/${event.id}`, { record, jobs: new Map(), attempts: [] });
  }

  /** Starts the event's next run, as a replay does. */
  replay(appId: string, id: string): number {
    const { record } = this.stored(appId, id);
    Object.assign(record, freshCounts, { status: "queued", run: record.run + 1 });
    return record.run;
  }

  /** The jobs the current run waits for. */
  openJobs(appId: string, id: string): string[] {
    const stored = this.stored(appId, id);
    return [...this.jobsOf(stored, stored.record.run)].filter(([, open]) => open).map(([jobId]) => jobId);
  }

  attempts(appId: string, id: string): WebhookAttemptRecord[] {
    return this.stored(appId, id).attempts;
  }

  async find(appId: string, id: string): Promise<EventRecord | null> {
    const stored = this.events.get(`${appId}/${id}`);
    return stored ? { ...stored.record } : null;
  }

  async currentRun(appId: string, id: string, run: number): Promise<RunStart | null> {
    const record = this.current(appId, id, run);
    return record ? { run, payload: record.payload } : null;
  }

  async recordAudience(
    appId: string,
    id: string,
    run: number,
    audience: RunAudience,
  ): Promise<AudienceRecording> {
    const record = this.current(appId, id, run);
    if (!record) return "not-current";
    const { recipients, suppressed, suppressedBy, expiresAt, jobIds, delivered } = audience;
    Object.assign(record, { status: "processing", recipients, suppressed, suppressedBy, expiresAt });
    const stored = this.stored(appId, id);
    const jobs = this.jobsOf(stored, run);
    this.open(jobs, jobIds);
    let recording: AudienceRecording = "recorded";
    if (delivered) {
      if (jobs.has(delivered.jobId)) recording = "reported-before";
      else {
        jobs.set(delivered.jobId, false);
        this.addReport(stored, run, delivered);
      }
    }
    this.completeIfDone(stored);
    return recording;
  }

  async recordJobDone(appId: string, id: string, run: number, report: JobReport): Promise<boolean> {
    const stored = this.stored(appId, id);
    const jobs = this.jobsOf(stored, run);
    if (jobs.get(report.jobId) !== true) return false;
    jobs.set(report.jobId, false);
    this.addReport(stored, run, report);
    this.completeIfDone(stored);
    return true;
  }

  async recordWebhookAttempt(appId: string, id: string, attempt: WebhookAttemptRecord): Promise<void> {
    this.stored(appId, id).attempts.push(attempt);
  }

  async recordWebhookOutcome(
    appId: string,
    id: string,
    run: number,
    outcome: WebhookOutcome,
    audience?: AudienceCounts,
  ): Promise<void> {
    const { record } = this.stored(appId, id);
    if (record.run === run) Object.assign(record, { webhookOutcome: outcome, ...audience });
  }

  private stored(appId: string, id: string): StoredEvent {
    const stored = this.events.get(`${appId}/${id}`);
    if (!stored) throw new Error(`no event ${appId}/${id}`);
    return stored;
  }

  private current(appId: string, id: string, run: number): EventRecord | null {
    const record = this.events.get(`${appId}/${id}`)?.record;
    return record && record.run === run && unfinished.has(record.status) ? record : null;
  }

  private jobsOf(stored: StoredEvent, run: number): Map<string, boolean> {
    const jobs = stored.jobs.get(run) ?? new Map<string, boolean>();
    stored.jobs.set(run, jobs);
    return jobs;
  }

  private open(jobs: Map<string, boolean>, jobIds: string[]): void {
    for (const jobId of jobIds) if (!jobs.has(jobId)) jobs.set(jobId, true);
  }

  /** A report of an earlier run closes its job but counts nowhere: the counts are the current run's. */
  private addReport(stored: StoredEvent, run: number, report: JobReport): void {
    this.open(this.jobsOf(stored, run), report.followUps);
    const record = stored.record;
    if (record.run !== run) return;
    record.tokens += report.newTokens;
    record.sent += report.counts.sent;
    record.failed += report.counts.failed;
    record.invalidTokens += report.counts.invalidTokens;
    record.expired += report.counts.expired;
    record.silenced += report.counts.silenced;
  }

  private completeIfDone(stored: StoredEvent): void {
    const record = stored.record;
    const open = [...this.jobsOf(stored, record.run).values()].some((isOpen) => isOpen);
    if (record.status !== "processing" || open) return;
    record.status = record.expired > 0 ? "expired" : "completed";
    record.completedAt = new Date();
  }
}
