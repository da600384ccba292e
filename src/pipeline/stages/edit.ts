import type { LiveEvent } from "../../domain/events/live-event.js";
import type { NotificationEdit } from "../../webhooks/customer-answer.js";
import { fitToPayload, gatewayData, type Notification, notificationData, stringValues } from "./render.js";

/**
 * The proposal with the customer's edit applied: the fields they give replace the proposed
 * ones, cut to the payload budget as a proposal is. The gateway's own keys stay in `data`
 * whatever the edit says. Null when neither the edit nor the proposal has a title.
 */
export function mergeEdit(
  proposed: Notification | null,
  edit: NotificationEdit | undefined,
  event: LiveEvent,
): Notification | null {
  if (!edit) return proposed;
  const title = edit.title ?? proposed?.title;
  if (!title) return null;
  const data = edit.data
    ? { ...stringValues(edit.data), ...gatewayData(event) }
    : (proposed?.data ?? notificationData(event));
  return {
    ...fitToPayload(title, edit.body ?? proposed?.body ?? "", data),
    data,
    module: proposed?.module ?? "chat",
    call: proposed?.call ?? false,
    ...(proposed?.presentation && { presentation: proposed.presentation }),
  };
}
