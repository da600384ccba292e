import type { Queue } from "bullmq";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Clock } from "../domain/clock.js";
import type { EventIngestObserver, EventRefusal } from "../http/routes/event-ingest.js";
import type { DeliveryObserver } from "../pipeline/dispatch/chunk-delivery.js";
import type { TemplateObserver } from "../pipeline/stages/localize.js";
import type { WebhookObserver } from "../pipeline/webhook/attempt-log.js";
import type { BreakerObserver } from "../pipeline/webhook/breaker.js";
import type { StatementObserver } from "../storage/sql/observed-database.js";

/** The job states reported per queue; finished jobs are removed, so they are left out. */
const reportedStates = ["waiting", "prioritized", "active", "delayed", "failed"] as const;

/**
 * The instruments of one gateway process, in a registry of its own (tests run several
 * gateways in one process), with Node's default process metrics.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly events: EventIngestObserver;
  readonly deliveries: DeliveryObserver;
  readonly webhooks: WebhookObserver;
  readonly webhookBreaker: BreakerObserver;
  readonly templates: TemplateObserver;
  readonly statements: StatementObserver;
  private readonly queues: Queue[] = [];

  /** `clock` tells how long the oldest waiting job of a queue has been due. */
  constructor(clock: Clock) {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];

    const events = new Counter({
      name: "pushgate_events_total",
      help: "Live events received, by outcome (accepted, duplicate, refused) and reason of a refusal",
      labelNames: ["outcome", "reason"] as const,
      registers,
    });
    this.events = {
      accepted: (count) => events.inc({ outcome: "accepted", reason: "" }, count),
      duplicate: (count) => events.inc({ outcome: "duplicate", reason: "" }, count),
      refused: (reason: EventRefusal, count) => events.inc({ outcome: "refused", reason }, count),
    };

    const deliveries = new Counter({
      name: "pushgate_deliveries_total",
      help: "Push sends per token, by provider and outcome (sent, invalid_token, failed, retry, expired)",
      labelNames: ["provider", "outcome"] as const,
      registers,
    });
    const tokensRemoved = new Counter({
      name: "pushgate_tokens_removed_total",
      help: "Device tokens removed because their provider reported them dead",
      labelNames: ["provider"] as const,
      registers,
    });
    const silenced = new Counter({
      name: "pushgate_deliveries_silenced_total",
      help: "Push sends per token that went without sound: held back by a snooze or quiet hours under quiet_delivery silent (also counted as sent)",
      labelNames: ["provider"] as const,
      registers,
    });
    const folded = new Counter({
      name: "pushgate_deliveries_folded_total",
      help: "Push sends per token that replaced the previous notification of a burst, without sound (also counted as sent)",
      labelNames: ["provider"] as const,
      registers,
    });
    this.deliveries = {
      outcome: (provider, outcome) => {
        deliveries.inc({ provider, outcome });
        if (outcome === "invalid_token") tokensRemoved.inc({ provider });
      },
      silenced: (provider) => silenced.inc({ provider }),
      folded: (provider) => folded.inc({ provider }),
    };

    const webhookAttempts = new Counter({
      name: "pushgate_webhook_attempts_total",
      help: "Calls to customers' webhook endpoints, by what the answer meant (send, drop, invalid, retry, unreachable)",
      labelNames: ["outcome"] as const,
      registers,
    });
    const webhookDuration = new Histogram({
      name: "pushgate_webhook_duration_seconds",
      help: "Wall time of calls to customers' webhook endpoints",
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
      registers,
    });
    this.webhooks = {
      attempt: (outcome, durationMs) => {
        webhookAttempts.inc({ outcome });
        webhookDuration.observe(durationMs / 1000);
      },
    };

    const webhooksDisabled = new Counter({
      name: "pushgate_webhooks_disabled_total",
      help: "Webhooks turned off by a run of failed calls (their events take the fallback until a probe is answered)",
      registers,
    });
    const webhookProbes = new Counter({
      name: "pushgate_webhook_probes_total",
      help: "Calls made to a webhook that is off, to learn whether it is back, by outcome (answered: turned back on; failed)",
      labelNames: ["outcome"] as const,
      registers,
    });
    this.webhookBreaker = {
      disabled: () => webhooksDisabled.inc(),
      probed: (answered) => webhookProbes.inc({ outcome: answered ? "answered" : "failed" }),
    };

    const templateFallbacks = new Counter({
      name: "pushgate_template_fallbacks_total",
      help: "Renderings of an app's stored template that failed, by event type: the built-in wording was sent instead",
      labelNames: ["event_type"] as const,
      registers,
    });
    this.templates = { fallback: (eventType) => templateFallbacks.inc({ event_type: eventType }) };

    const statements = new Counter({
      name: "pushgate_db_statements_total",
      help: "SQL statements sent to the database, by name (repository.statement): its round trips, with the transactions' BEGIN and COMMIT",
      labelNames: ["statement"] as const,
      registers,
    });
    const transactions = new Counter({
      name: "pushgate_db_transactions_total",
      help: "Database transactions (each adds a BEGIN and a COMMIT round trip on PostgreSQL)",
      registers,
    });
    this.statements = {
      statement: (name) => statements.inc({ statement: name }),
      transaction: () => transactions.inc(),
    };

    const queues = this.queues;
    new Gauge({
      name: "pushgate_queue_jobs",
      help: "Jobs in each queue, by state; read from Redis on every scrape",
      labelNames: ["queue", "state"] as const,
      registers,
      async collect() {
        this.reset();
        await eachReachable(queues, async (queue) => {
          const counts = await queue.getJobCounts(...reportedStates);
          for (const state of reportedStates) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        });
      },
    });
    new Gauge({
      name: "pushgate_queue_oldest_waiting_seconds",
      help: "How long the oldest waiting job of each queue has been due (0 when none waits)",
      labelNames: ["queue"] as const,
      registers,
      async collect() {
        this.reset();
        await eachReachable(queues, async (queue) => {
          const [oldest] = await queue.getJobs("waiting", 0, 0, true);
          const now = clock.now().getTime();
          const dueAt = oldest ? oldest.timestamp + (oldest.delay ?? 0) : now;
          this.set({ queue: queue.name }, Math.max(0, (now - dueAt) / 1000));
        });
      },
    });
  }

  /** Reports these queues' depth and oldest waiting job on each scrape. */
  watchQueues(queues: Queue[]): void {
    this.queues.push(...queues);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every instrument. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}

/**
 * A scrape must answer while Redis is down: a queue that cannot be read is left out
 * of the gauges, and its absence is the signal.
 */
async function eachReachable(queues: Queue[], read: (queue: Queue) => Promise<void>): Promise<void> {
  await Promise.all(queues.map((queue) => read(queue).catch(() => {})));
}
