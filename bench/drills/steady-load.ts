import { type GatewayClient, now } from "../client/gateway-client.js";
import { directMessage, postEvent } from "../client/live-events.js";
import type { BenchApp, Member } from "../client/population.js";
import { type OpenLoopResult, runOpenLoop } from "../load/open-loop.js";

/** One event the load sent, and what the gateway answered (0 when no answer came). */
export interface SentEvent {
  app: BenchApp;
  eventId: string;
  status: number;
  sentAt: number;
  answeredAt: number;
}

export interface LoadTarget {
  app: BenchApp;
  recipients: Member[];
}

/** 1:1 messages at a fixed rate, spread over the targets in turn, until stopped (or `maxMs`). */
export class SteadyLoad {
  readonly sent: SentEvent[] = [];
  private readonly stopper = new AbortController();
  private readonly running: Promise<OpenLoopResult>;

  constructor(client: GatewayClient, targets: LoadTarget[], ratePerSecond: number, maxMs: number) {
    this.running = runOpenLoop({
      ratePerSecond,
      durationMs: maxMs,
      maxInFlight: 512,
      signal: this.stopper.signal,
      drainTimeoutMs: 15_000,
      task: async (index) => {
        const target = targets[index % targets.length] as LoadTarget;
        const recipient = target.recipients[
          Math.floor(index / targets.length) % target.recipients.length
        ] as Member;
        const event = directMessage("drill-sender", recipient.userId);
        const record: SentEvent = {
          app: target.app,
          eventId: event.id,
          status: 0,
          sentAt: now(),
          answeredAt: 0,
        };
        this.sent.push(record);
        const answer = await postEvent(client, target.app, event);
        Object.assign(record, {
          status: answer.status,
          sentAt: answer.sentAt,
          answeredAt: answer.answeredAt,
        });
      },
    });
  }

  /** Stops sending and waits for the answers still due. */
  async stop(): Promise<OpenLoopResult> {
    this.stopper.abort();
    return this.running;
  }
}
