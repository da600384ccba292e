import type { IncomingHttpHeaders } from "node:http";

/**
 * The push types APNs knows, and what each appends to the bundle id to make its topic (Apple,
 * "Sending notification requests to APNs"). `mdm` goes to an MDM topic of its own, which
 * token-based connections do not serve.
 */
export const topicSuffixes: Record<string, string> = {
  alert: "",
  background: "",
  voip: ".voip",
  complication: ".complication",
  fileprovider: ".pushkit.fileprovider",
  location: ".location-query",
  liveactivity: ".push-type.liveactivity",
  pushtotalk: ".voip-ptt",
  widgets: ".push-type.widgets",
};
const priorities = new Set(["1", "5", "10"]);
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const maxCollapseIdBytes = 64;

/**
 * The reason APNs gives for a bad header, given the suffix the (allowed) topic adds to its bundle
 * id, or `undefined` when they are fine.
 */
export function headerProblem(headers: IncomingHttpHeaders, topicSuffix: string): string | undefined {
  const pushType = header(headers, "apns-push-type");
  if (pushType === undefined || topicSuffixes[pushType] !== topicSuffix) return "InvalidPushType";
  const priority = header(headers, "apns-priority");
  if (priority !== undefined && !priorities.has(priority)) return "BadPriority";
  // "Always use priority 5. Using priority 10 is an error."
  if (pushType === "background" && priority === "10") return "BadPriority";
  const expiration = header(headers, "apns-expiration");
  if (expiration !== undefined && !/^\d+$/.test(expiration)) return "BadExpirationDate";
  const collapseId = header(headers, "apns-collapse-id");
  if (collapseId !== undefined && Buffer.byteLength(collapseId) > maxCollapseIdBytes) return "BadCollapseId";
  const id = header(headers, "apns-id");
  if (id !== undefined && !uuid.test(id)) return "BadMessageId";
  return undefined;
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The request's `apns-*` headers, as logged for tests. */
export function apnsHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = header(headers, name);
    if (name.startsWith("apns-") && value !== undefined) picked[name] = value;
  }
  return picked;
}
