import type { Message } from "firebase-admin/messaging";
import type { PushMessage } from "../push-provider.js";

/**
 * The `data` keys FCM HTTP v1 reserves: "from", "message_type", and any key starting with
 * "google" or "gcm". FCM refuses a whole message that has one, so they never reach FCM;
 * APNs, which takes them, still gets them.
 */
function isReservedFcmDataKey(key: string): boolean {
  return key === "from" || key === "message_type" || key.startsWith("google") || key.startsWith("gcm");
}

function fcmData(data: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !isReservedFcmDataKey(key)));
}

/**
 * The FCM HTTP v1 message for one token (docs/api.md §9). A call is sent data-only so that the app
 * itself, not the system tray, decides how to ring.
 */
export function toFcmMessage(message: PushMessage, token: string, now: Date = new Date()): Message {
  const ttl = Math.max(0, message.expiresAt.getTime() - now.getTime());
  const data = fcmData(message.data);
  if (message.call) {
    return {
      token,
      data: { ...data, title: message.title, body: message.body },
      android: { priority: "high", ttl },
    };
  }
  if (message.silent) {
    return {
      token,
      notification: { title: message.title, body: message.body },
      data: { ...message.data },
      android: {
        priority: "normal",
        ttl,
        notification: { tag: message.collapseId, priority: "min" },
      },
    };
  }
  return {
    token,
    notification: { title: message.title, body: message.body },
    data,
    android: { priority: "high", ttl, notification: { tag: message.collapseId } },
  };
}
