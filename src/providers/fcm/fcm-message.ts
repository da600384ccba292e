import type { AndroidNotification, ApnsConfig, Aps, Message } from "firebase-admin/messaging";
import { apnsCollapseId } from "../collapse-id.js";
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

/** Whether the notification plays a sound: not when silent, nor when it replaces one of its burst. */
function sounds(message: PushMessage): boolean {
  return !message.silent && !message.folded;
}

/** The app template's Android settings next to the gateway's own; no sound of its own when it sounds none. */
function androidNotification(message: PushMessage, own: AndroidNotification): AndroidNotification {
  const android = message.presentation?.android;
  const notification = { ...own };
  if (android?.channel_id !== undefined) notification.channelId = android.channel_id;
  if (android?.sound !== undefined && sounds(message)) notification.sound = android.sound;
  return notification;
}

/**
 * For iOS devices reached through FCM: the app template's APNs settings, the badge, and the
 * collapse id, as APNs gets them directly (so a burst's notifications replace one another there too).
 */
function apnsConfig(message: PushMessage, badge: number | undefined): { apns: ApnsConfig } {
  const apns = message.presentation?.apns;
  const aps: Aps = {};
  if (apns?.sound !== undefined && sounds(message)) aps.sound = apns.sound;
  if (apns?.category !== undefined) aps.category = apns.category;
  if (apns?.mutable_content) aps.mutableContent = true;
  if (badge !== undefined) aps.badge = badge;
  const config: ApnsConfig = Object.keys(aps).length > 0 ? { payload: { aps } } : {};
  return { apns: { headers: { "apns-collapse-id": apnsCollapseId(message.collapseId) }, ...config } };
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
      data,
      android: {
        priority: "normal",
        ttl,
        notification: androidNotification(message, { tag: message.collapseId, priority: "min" }),
      },
      ...apnsConfig(message, undefined),
    };
  }
  // FCM data values are strings only; the app reads the number back from `badge`.
  const badge = message.badge;
  return {
    token,
    notification: { title: message.title, body: message.body },
    data: badge === undefined ? data : { ...data, badge: String(badge) },
    android: {
      priority: "high",
      ttl,
      notification: androidNotification(message, {
        tag: message.collapseId,
        ...(message.folded && { priority: "low" as const }),
        ...(badge !== undefined && { notificationCount: badge }),
      }),
    },
    ...apnsConfig(message, badge),
  };
}
