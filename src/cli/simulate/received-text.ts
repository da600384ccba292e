import type { ReceivedNotification } from "../../simulators/simulators.js";

interface Alert {
  title?: string;
  body?: string;
}

/** One line per notification a simulator accepted: when, where, to which token, what it says. */
export function receivedText(entry: ReceivedNotification): string {
  const token = entry.token.length > 16 ? `${entry.token.slice(0, 16)}…` : entry.token;
  const pushType = entry.headers["apns-push-type"];
  const kind = pushType ? ` (${pushType})` : "";
  return `${entry.receivedAt.toISOString().slice(11, 19)} ${entry.simulator}${kind} → ${token}  ${content(entry)}\n`;
}

function content(entry: ReceivedNotification): string {
  const payload = entry.payload as Alert & { notification?: Alert; aps?: { alert?: Alert }; data?: unknown };
  // FCM, APNs, then Web Push and Expo, whose payloads hold title and body at the top.
  const alert =
    payload.notification ?? payload.aps?.alert ?? (payload.title === undefined ? undefined : payload);
  if (alert) return `"${alert.title ?? ""}": ${alert.body ?? ""}`;
  // Calls travel as data-only FCM messages and VoIP pushes, without an alert.
  return JSON.stringify(payload.data ?? payload);
}
