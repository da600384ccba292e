import type { Arrival, Arrivals } from "./arrivals.js";
import { type LatencySummary, summarize } from "./latency.js";

export interface DeliverySummary {
  accepted: number;
  /** Accepted events that reached their device. */
  arrived: number;
  /** From the first send to the last arrival, ms. */
  spanMs: number;
  perSecond: number;
  /** Per event: from its send (or when the schedule wanted it sent) to its first arrival. */
  latency: LatencySummary;
}

/** Accepted events by id, with when each was sent, matched against what the simulators got. */
export class DeliveryTracker {
  private readonly sentAt = new Map<string, number>();
  private firstSent = Number.POSITIVE_INFINITY;

  constructor(private readonly arrivals: Arrivals) {}

  get accepted(): number {
    return this.sentAt.size;
  }

  accept(eventId: string, sentAt: number): void {
    this.sentAt.set(eventId, sentAt);
    this.firstSent = Math.min(this.firstSent, sentAt);
  }

  /** True once every accepted event has arrived (one notification each), false at the timeout. */
  waitForAll(timeoutMs: number): Promise<boolean> {
    return this.arrivals.waitForCount(this.sentAt.size, timeoutMs);
  }

  summary(): DeliverySummary {
    const firsts: Arrival[] = [];
    for (const [eventId, arrival] of this.arrivals.firstByEvent()) {
      if (this.sentAt.has(eventId)) firsts.push(arrival);
    }
    const lastArrival = firsts.reduce((latest, arrival) => Math.max(latest, arrival.at), 0);
    const spanMs = firsts.length ? lastArrival - this.firstSent : 0;
    return {
      accepted: this.sentAt.size,
      arrived: firsts.length,
      spanMs,
      perSecond: spanMs > 0 ? (firsts.length / spanMs) * 1000 : 0,
      latency: summarize(firsts.map((arrival) => arrival.at - (this.sentAt.get(arrival.eventId) as number))),
    };
  }
}
