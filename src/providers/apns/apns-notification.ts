import apn from "@parse/node-apn";
import { apnsCollapseId } from "../collapse-id.js";
import type { PushMessage } from "../push-provider.js";

/** The APNs request for `message` (docs/api.md §9): headers and payload, the same for every token. */
export function toApnsNotification(message: PushMessage, bundleId: string, voip: boolean): apn.Notification {
  const notification = new apn.Notification();
  notification.topic = voip ? `${bundleId}.voip` : bundleId;
  notification.pushType = voip ? "voip" : "alert";
  notification.priority = 10;
  notification.expiry = Math.floor(message.expiresAt.getTime() / 1000);
  notification.collapseId = apnsCollapseId(message.collapseId);
  notification.alert = { title: message.title, body: message.body };
  const apns = message.presentation?.apns;
  if (message.silent) notification.aps["interruption-level"] = "passive";
  else if (!message.folded) notification.sound = apns?.sound ?? "default";
  if (apns?.category !== undefined) notification.aps.category = apns.category;
  if (apns?.mutable_content) notification.mutableContent = true;
  if (message.threadId !== undefined) notification.threadId = message.threadId;
  if (message.badge !== undefined) notification.badge = message.badge;
  notification.payload = { ...message.data };
  return notification;
}
