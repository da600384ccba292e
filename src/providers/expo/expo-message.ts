import type { PushMessage } from "../push-provider.js";

/** A message of Expo's push API (docs.expo.dev, "Message request format") for one token. */
export interface ExpoMessage {
  to: string;
  title?: string;
  body?: string;
  data: Record<string, string>;
  sound?: "default";
  badge?: number;
  /** Seconds Expo, APNs and FCM keep trying to deliver. */
  ttl: number;
  priority: "normal" | "high";
  channelId?: string;
  categoryId?: string;
  mutableContent?: true;
  _contentAvailable?: true;
}

/**
 * The Expo message for one token. A call goes data-only and content-available, so that the app
 * itself, not the system tray, decides how to ring.
 */
export function toExpoMessage(message: PushMessage, token: string, now: Date = new Date()): ExpoMessage {
  const ttl = Math.max(0, Math.floor((message.expiresAt.getTime() - now.getTime()) / 1000));
  if (message.call) {
    return {
      to: token,
      data: { ...message.data, title: message.title, body: message.body },
      ttl,
      priority: "high",
      _contentAvailable: true,
    };
  }
  const apns = message.presentation?.apns;
  const channelId = message.presentation?.android?.channel_id;
  return {
    to: token,
    title: message.title,
    body: message.body,
    data: message.data,
    ...(!message.silent && !message.folded && { sound: "default" }),
    ...(message.badge !== undefined && { badge: message.badge }),
    ttl,
    priority: message.silent ? "normal" : "high",
    ...(channelId !== undefined && { channelId }),
    ...(apns?.category !== undefined && { categoryId: apns.category }),
    ...(apns?.mutable_content && { mutableContent: true }),
  };
}
