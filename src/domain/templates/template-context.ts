import type { LiveEvent } from "../events/live-event.js";

/** Who a rendering is for. */
export interface RecipientView {
  id: string;
  locale: string | null;
  mentioned: boolean;
}

/**
 * The variables a template may name. `data.…` names any key of the event's `data`; inside a
 * section, names are also looked up relative to the section's own variable.
 */
export const templateVariables: ReadonlySet<string> = new Set([
  "actor",
  "actor.id",
  "actor.name",
  "actor.roles",
  "channel",
  "channel.id",
  "channel.name",
  "message",
  "message.id",
  "message.type",
  "message.text",
  "message.is_text",
  "message.is_image",
  "call",
  "call.id",
  "call.kind",
  "notification",
  "notification.title",
  "notification.body",
  "recipient",
  "recipient.id",
  "recipient.locale",
  "mentioned",
  "count",
  "data",
]);

export function isTemplateVariable(name: string): boolean {
  return templateVariables.has(name) || name.startsWith("data.");
}

/** The variables that differ between recipients of one event: a template naming one renders per recipient. */
export const recipientVariables: readonly string[] = ["recipient", "mentioned"];

/** What a template renders from: the event, seen from one recipient; `count` for a burst. */
export function templateView(
  event: LiveEvent,
  recipient: RecipientView | null,
  count = 1,
): Record<string, unknown> {
  const message = event.message;
  return {
    actor: event.actor && {
      id: event.actor.id,
      name: event.actor.display_name || event.actor.id,
      roles: event.actor.roles ?? [],
    },
    channel: event.channel && { id: event.channel.id, name: event.channel.display_name || event.channel.id },
    message: message && {
      id: message.id,
      type: message.type,
      text: message.text ?? "",
      is_text: message.type === "text",
      is_image: message.type === "image",
    },
    call: event.type === "call.ringing" ? { id: event.call.id, kind: event.call.kind } : undefined,
    notification:
      event.type === "notification.custom"
        ? { title: event.notification.title, body: event.notification.body }
        : undefined,
    count,
    data: event.data ?? {},
    ...recipientFields(recipient),
  };
}

function recipientFields(recipient: RecipientView | null): Record<string, unknown> {
  return {
    recipient: recipient && { id: recipient.id, locale: recipient.locale },
    mentioned: recipient?.mentioned ?? false,
  };
}

/** The view of `templateView(event, null)` seen from one recipient: renders per recipient without the event. */
export function viewFor(view: Record<string, unknown>, recipient: RecipientView): Record<string, unknown> {
  return { ...view, ...recipientFields(recipient) };
}
