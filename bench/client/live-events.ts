import { randomUUID } from "node:crypto";
import { signWebhook } from "../../src/security/standard-webhooks.js";
import type { GatewayAnswer, GatewayClient } from "./gateway-client.js";

/** Who signs events for an app: its id and `event_secret`. */
export interface EventSource {
  id: string;
  eventSecret: string;
}

let sequence = 0;
const runTag = randomUUID().slice(0, 8);

export function newEventId(): string {
  sequence += 1;
  return `evt_${runTag}_${sequence}`;
}

/** A live event as a chat backend sends it (docs/api.md §7), with the fields the bench varies. */
export interface LiveEventBody {
  id: string;
  type: string;
  [field: string]: unknown;
}

/** `actor` writes to `recipient` in their direct channel: one notification. */
export function directMessage(actorId: string, recipientId: string): LiveEventBody {
  return {
    id: newEventId(),
    type: "message.created",
    occurred_at: new Date().toISOString(),
    actor: { id: actorId, display_name: actorId },
    channel: { id: `dm-${recipientId}`, display_name: "Direct", member_ids: [actorId, recipientId] },
    message: { id: `m-${sequence}`, type: "text", text: "hello there" },
  };
}

/** A message in a channel whose members the gateway already knows (no member list in the event). */
export function channelMessage(actorId: string, channelId: string): LiveEventBody {
  return {
    id: newEventId(),
    type: "message.created",
    occurred_at: new Date().toISOString(),
    actor: { id: actorId, display_name: actorId },
    channel: { id: channelId, display_name: "Everyone" },
    message: { id: `m-${sequence}`, type: "text", text: "an announcement to all" },
  };
}

function signed(source: EventSource, body: string): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    "content-type": "application/json",
    ...signWebhook([source.eventSecret], `msg_${randomUUID()}`, timestamp, body),
  };
}

export function postEvent(
  client: GatewayClient,
  source: EventSource,
  event: LiveEventBody,
): Promise<GatewayAnswer> {
  const body = JSON.stringify(event);
  return client.request("POST", `/v1/apps/${source.id}/events`, { body, headers: signed(source, body) });
}

export function postBatch(
  client: GatewayClient,
  source: EventSource,
  events: LiveEventBody[],
): Promise<GatewayAnswer> {
  const body = JSON.stringify({ events });
  return client.request("POST", `/v1/apps/${source.id}/events/batch`, {
    body,
    headers: signed(source, body),
  });
}
