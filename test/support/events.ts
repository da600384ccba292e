import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import type { HttpClient, TestResponse } from "./test-gateway.js";

/** Signs like a chat backend would, with the reference Standard Webhooks library. */
export function signedHeaders(secret: string, body: string, at = new Date(), id = `msg_${randomUUID()}`) {
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, at, body),
  };
}

export function postEvent(
  gw: HttpClient,
  app: { id: string; event_secret: string },
  event: unknown,
): Promise<TestResponse> {
  const body = JSON.stringify(event);
  return gw.request("POST", `/v1/apps/${app.id}/events`, {
    rawBody: body,
    headers: signedHeaders(app.event_secret, body),
  });
}

export function postBatch(
  gw: HttpClient,
  app: { id: string; event_secret: string },
  events: unknown[],
): Promise<TestResponse> {
  const body = JSON.stringify({ events });
  return gw.request("POST", `/v1/apps/${app.id}/events/batch`, {
    rawBody: body,
    headers: signedHeaders(app.event_secret, body),
  });
}

let counter = 0;
export function eventId(): string {
  counter += 1;
  return `evt_${Date.now().toString(36)}_${counter}_${randomUUID().slice(0, 8)}`;
}

export function messageEvent(overrides: Record<string, unknown> = {}) {
  return {
    id: eventId(),
    type: "message.created",
    occurred_at: new Date().toISOString(),
    actor: { id: "u1", display_name: "Alice" },
    channel: { id: "c1", display_name: "Team", member_ids: ["u1", "u2", "u3"] },
    message: { id: "m1", type: "text", text: "hello" },
    ...overrides,
  };
}

/** Polls the event-status API until `done` holds for the event, or fails after the timeout. */
export async function waitForEvent(
  gw: HttpClient,
  app: { id: string; server_key: string },
  id: string,
  done: (body: { status: string; [key: string]: unknown }) => boolean = (body) =>
    ["completed", "failed", "expired"].includes(body.status),
  timeoutMs = 15_000,
) {
  const deadline = Date.now() + timeoutMs;
  let last: TestResponse | undefined;
  while (Date.now() < deadline) {
    last = await gw.request("GET", `/v1/apps/${app.id}/events/${encodeURIComponent(id)}`, {
      token: app.server_key,
    });
    if (last.status === 200 && done(last.body)) return last.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(
    `event ${id} did not get there in ${timeoutMs} ms; last answer: ${JSON.stringify(last?.body)}`,
  );
}
