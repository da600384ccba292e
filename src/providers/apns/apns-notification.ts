import apn from "@parse/node-apn";
import type { PushMessage } from "../push-provider.js";

/** Apple's limit on `apns-collapse-id`, in bytes. */
const maxCollapseIdBytes = 64;

/** The APNs request for `message` (docs/api.md §9): headers and payload, the same for every token. */
export function toApnsNotification(message: PushMessage, bundleId: string, voip: boolean): apn.Notification {
  const notification = new apn.Notification();
  notification.topic = voip ? `${bundleId}.voip` : bundleId;
  notification.pushType = voip ? "voip" : "alert";
  notification.priority = 10;
  notification.expiry = Math.floor(message.expiresAt.getTime() / 1000);
  notification.collapseId = truncateUtf8(message.collapseId, maxCollapseIdBytes);
  notification.alert = { title: message.title, body: message.body };
  const apns = message.presentation?.apns;
  if (message.silent) notification.aps["interruption-level"] = "passive";
  else notification.sound = apns?.sound ?? "default";
  if (apns?.category !== undefined) notification.aps.category = apns.category;
  if (apns?.mutable_content) notification.mutableContent = true;
  if (message.threadId !== undefined) notification.threadId = message.threadId;
  if (message.badge !== undefined) notification.badge = message.badge;
  notification.payload = { ...message.data };
  return notification;
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const character of text) {
    bytes += Buffer.byteLength(character, "utf8");
    if (bytes > maxBytes) break;
    end += character.length;
  }
  return text.slice(0, end);
}
