import { isDeliverySample } from "../samples/sample-shapes.js";
import { callbackLine } from "./callback-text.js";
import type { ListenAnswer } from "./listen-answer.js";
import type { ReceivedDelivery } from "./webhook-receiver.js";

/**
 * A received delivery or status callback as the terminal shows it: what it proposes or
 * tells, the body, the answer.
 */
export function deliveryText(delivery: ReceivedDelivery, answer: ListenAnswer, at: Date): string {
  const lines = [
    `← ${clock(at)} ${delivery.method} ${delivery.path}  webhook-id ${delivery.webhookId ?? "(none)"}  signature ${delivery.signature}`,
  ];
  const summary = proposalLine(delivery.body) ?? callbackLine(delivery.body);
  if (summary) lines.push(`  ${summary}`);
  lines.push(JSON.stringify(delivery.body, null, 2).replace(/^/gm, "  "));
  lines.push(`→ ${answer.status} ${answer.body || "(empty)"}${answer.label ? `  (${answer.label})` : ""}`);
  return `${lines.join("\n")}\n`;
}

export function refusalText(
  request: { method: string; path: string },
  status: number,
  reason: string,
  at: Date,
) {
  return `✗ ${clock(at)} ${request.method} ${request.path}  → ${status} ${reason}\n`;
}

function proposalLine(body: unknown): string | undefined {
  if (!isDeliverySample(body)) return undefined;
  const event = body.event as { type?: unknown; id?: unknown };
  const notification = body.notification as { title?: unknown; body?: unknown } | null;
  const proposed = notification ? `"${notification.title}": ${notification.body}` : "no notification";
  const recipients = (body.recipient_ids as unknown[]).join(", ") || "nobody";
  return `${event.type} ${event.id} · ${proposed} · for ${recipients}`;
}

export function clock(at: Date): string {
  return at.toISOString().slice(11, 19);
}
