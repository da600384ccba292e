import type { IncomingHttpHeaders } from "node:http";

const urgencies = new Set(["very-low", "low", "normal", "high"]);
const topicPattern = /^[A-Za-z0-9_-]{1,32}$/;

/** The RFC 8030 headers of an accepted push, under lower-case names. */
export type PushHeaders = { ttl: string; urgency?: string; topic?: string };

export type PushHeaderCheck =
  | { ok: true; headers: PushHeaders }
  | { ok: false; status: 400; message: string };

/** RFC 8030 §5.2–5.4: a `TTL` (required), an `Urgency` and a `Topic` a push service accepts. */
export function checkPushHeaders(headers: IncomingHttpHeaders): PushHeaderCheck {
  const ttl = single(headers.ttl);
  if (ttl === undefined) return refuse("Missing TTL header");
  if (!/^\d+$/.test(ttl)) return refuse("The TTL header must be a non-negative integer");
  const urgency = single(headers.urgency);
  if (urgency !== undefined && !urgencies.has(urgency))
    return refuse("The Urgency header must be very-low, low, normal or high");
  const topic = single(headers.topic);
  if (topic !== undefined && !topicPattern.test(topic))
    return refuse("The Topic header must be at most 32 characters of the URL-safe base64 alphabet");
  return {
    ok: true,
    headers: {
      ttl,
      ...(urgency === undefined ? {} : { urgency }),
      ...(topic === undefined ? {} : { topic }),
    },
  };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(",") : value;
}

function refuse(message: string): PushHeaderCheck {
  return { ok: false, status: 400, message };
}
