import { setTimeout as sleep } from "node:timers/promises";

/** A notification as a simulated device got it. */
export interface Arrival {
  simulator: string;
  token: string;
  eventId: string;
  /** When the simulator accepted it (ms since the epoch, the simulators' clock = ours). */
  at: number;
}

/** Every notification the simulators accepted since the last `clear()`. */
export class Arrivals {
  private list: Arrival[] = [];

  get count(): number {
    return this.list.length;
  }

  get entries(): readonly Arrival[] {
    return this.list;
  }

  add(batch: Arrival[]): void {
    for (const arrival of batch) this.list.push(arrival);
  }

  clear(): void {
    this.list = [];
  }

  /** True once `count` notifications arrived, false when `timeoutMs` passed first. */
  async waitForCount(count: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.list.length < count) {
      if (Date.now() > deadline) return false;
      await sleep(10);
    }
    return true;
  }

  /** The first arrival of each event. */
  firstByEvent(): Map<string, Arrival> {
    const first = new Map<string, Arrival>();
    for (const arrival of this.list) if (!first.has(arrival.eventId)) first.set(arrival.eventId, arrival);
    return first;
  }

  /** (token, event) pairs that arrived more than once, with how many times. */
  duplicates(): Map<string, number> {
    const seen = new Map<string, number>();
    for (const { token, eventId } of this.list) {
      const key = `${token}\u0000${eventId}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    for (const [key, times] of seen) if (times < 2) seen.delete(key);
    return seen;
  }
}
