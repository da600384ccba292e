import type { Message } from "firebase-admin/messaging";
import type { PushMessage } from "../push-provider.js";

/**
 * The FCM HTTP v1 message for one token (docs/api.md §9). A call is sent data-only so that the app
 * itself, not the system tray, decides how to ring.
 */
export function toFcmMessage(message: PushMessage, token: string, now: Date = new Date()): Message {
  const ttl = Math.max(0, message.expiresAt.getTime() - now.getTime());
  if (message.call) {
    return {
      token,
      data: { ...message.data, title: message.title, body: message.body },
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
    data: { ...message.data },
    android: { priority: "high", ttl, notification: { tag: message.collapseId } },
  };
}
