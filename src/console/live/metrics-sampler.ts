import type { Registry } from "prom-client";

export const deliveryOutcomes = ["sent", "failed", "invalid_token", "retry", "expired"] as const;
export type DeliveryOutcome = (typeof deliveryOutcomes)[number];

/** Rates over one sampling interval. */
export interface LiveSample {
  at: Date;
  eventsPerSecond: number;
  deliveriesPerSecond: Record<DeliveryOutcome, number>;
  /** Mean wall time of the webhook calls that finished in the interval; null when none did. */
  webhookLatencyMs: number | null;
}

interface Totals {
  at: number;
  events: number;
  deliveries: Record<DeliveryOutcome, number>;
  webhookSeconds: number;
  webhookCalls: number;
}

type Values = { value: number; labels: Record<string, string | number>; metricName?: string }[];

/**
 * Reads the gateway's own counters every few seconds and keeps the rates of the last
 * minutes in a ring buffer, for the live view. The counters are this process's: in a
 * split deployment, an `api` process sees events, its workers the deliveries.
 */
export class MetricsSampler {
  private readonly samples: LiveSample[] = [];
  private last: Totals | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly registry: Registry,
    readonly intervalMs = 5000,
    readonly capacity = 60,
  ) {}

  start(): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Oldest first. */
  recent(): LiveSample[] {
    return [...this.samples];
  }

  async sample(): Promise<void> {
    const totals = await this.totals();
    const last = this.last;
    this.last = totals;
    if (!last) return;
    const seconds = Math.max((totals.at - last.at) / 1000, 0.001);
    const rate = (now: number, before: number) => Math.max(0, now - before) / seconds;
    const calls = totals.webhookCalls - last.webhookCalls;
    this.samples.push({
      at: new Date(totals.at),
      eventsPerSecond: rate(totals.events, last.events),
      deliveriesPerSecond: Object.fromEntries(
        deliveryOutcomes.map((outcome) => [
          outcome,
          rate(totals.deliveries[outcome], last.deliveries[outcome]),
        ]),
      ) as Record<DeliveryOutcome, number>,
      webhookLatencyMs: calls > 0 ? ((totals.webhookSeconds - last.webhookSeconds) / calls) * 1000 : null,
    });
    if (this.samples.length > this.capacity) this.samples.shift();
  }

  private async values(name: string): Promise<Values> {
    const metric = this.registry.getSingleMetric(name);
    return metric ? ((await metric.get()).values as Values) : [];
  }

  private async totals(): Promise<Totals> {
    const [events, deliveries, webhook] = await Promise.all([
      this.values("pushgate_events_total"),
      this.values("pushgate_deliveries_total"),
      this.values("pushgate_webhook_duration_seconds"),
    ]);
    const sum = (values: Values, keep: (entry: Values[number]) => boolean) =>
      values.filter(keep).reduce((total, entry) => total + entry.value, 0);
    return {
      at: Date.now(),
      events: sum(events, (entry) => entry.labels.outcome === "accepted"),
      deliveries: Object.fromEntries(
        deliveryOutcomes.map((outcome) => [
          outcome,
          sum(deliveries, (entry) => entry.labels.outcome === outcome),
        ]),
      ) as Record<DeliveryOutcome, number>,
      webhookSeconds: sum(webhook, (entry) => entry.metricName === "pushgate_webhook_duration_seconds_sum"),
      webhookCalls: sum(webhook, (entry) => entry.metricName === "pushgate_webhook_duration_seconds_count"),
    };
  }
}
