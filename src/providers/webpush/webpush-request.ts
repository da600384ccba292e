import { createHash } from "node:crypto";
import type { RequestOptions, Urgency } from "web-push";
import type { PushMessage } from "../push-provider.js";

/** RFC 8030 §5.4: a Topic is at most 32 characters of the URL-safe base64 alphabet. */
const maxTopicLength = 32;

/** What a service worker's `push` event reads with `event.data.json()`. */
export function webPushPayload(message: PushMessage): string {
  return JSON.stringify({
    title: message.title,
    body: message.body,
    tag: message.collapseId,
    data: message.data,
    ...(message.badge === undefined ? {} : { badge: message.badge }),
  });
}

/** The RFC 8030 headers of `message`, under web-push's option names. */
export function webPushHeaders(
  message: PushMessage,
  now: Date,
): Pick<RequestOptions, "TTL" | "urgency" | "topic"> {
  return {
    TTL: Math.max(0, Math.floor((message.expiresAt.getTime() - now.getTime()) / 1000)),
    urgency: urgencyOf(message),
    topic: topicOf(message.collapseId),
  };
}

function urgencyOf(message: PushMessage): Urgency {
  if (message.call) return "high";
  return message.silent ? "low" : "normal";
}

/** A collapse id may hold any character and be longer than a Topic may: its hash fits. */
export function topicOf(collapseId: string): string {
  return createHash("sha256").update(collapseId).digest("base64url").slice(0, maxTopicLength);
}
