import { setTimeout as sleep } from "node:timers/promises";
import type { GatewayClient } from "../client/gateway-client.js";
import { runClosedLoop } from "../load/closed-loop.js";
import type { SentEvent } from "./steady-load.js";

export interface EventOutcomes {
  accepted: number;
  completed: number;
  expired: number;
  failed: number;
  /** Still `queued` or `processing` at the deadline. */
  unfinished: number;
  /** Events that ended `completed` with fewer tokens sent than they had (deliveries.sent = 0). */
  completedUnsent: number;
}

const terminal = new Set(["completed", "expired", "failed"]);

/**
 * Asks the event-status API (docs/api.md §8) about every event answered 202, again and again,
 * until each has ended or `timeoutMs` passed.
 */
export async function waitForOutcomes(
  client: GatewayClient,
  sent: SentEvent[],
  timeoutMs: number,
): Promise<EventOutcomes> {
  const accepted = sent.filter((event) => event.status === 202);
  const ended = new Map<string, { status: string; sent: number }>();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = accepted.filter((event) => !ended.has(event.eventId));
    if (open.length === 0 || Date.now() > deadline) break;
    await runClosedLoop({
      total: open.length,
      concurrency: 16,
      timeoutMs: Math.max(1000, deadline - Date.now()),
      task: async (index) => {
        const event = open[index] as SentEvent;
        const answer = await client.request("GET", `/v1/apps/${event.app.id}/events/${event.eventId}`, {
          token: event.app.serverKey,
        });
        const body = answer.body as { status?: string; deliveries?: { sent?: number } };
        if (answer.status === 200 && body.status && terminal.has(body.status)) {
          ended.set(event.eventId, { status: body.status, sent: body.deliveries?.sent ?? 0 });
        }
      },
    });
    if (accepted.some((event) => !ended.has(event.eventId))) await sleep(250);
  }
  const outcomes = [...ended.values()];
  const count = (status: string) => outcomes.filter((outcome) => outcome.status === status).length;
  return {
    accepted: accepted.length,
    completed: count("completed"),
    expired: count("expired"),
    failed: count("failed"),
    unfinished: accepted.length - ended.size,
    completedUnsent: outcomes.filter((outcome) => outcome.status === "completed" && outcome.sent === 0)
      .length,
  };
}
