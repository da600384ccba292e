import type { NotificationModule } from "../../domain/audience/audience.js";
import type { LiveEvent } from "../../domain/events/live-event.js";
import { builtInLocale } from "../../domain/templates/locale.js";
import { isTemplateEventType } from "../../domain/templates/template.js";
import { templateView } from "../../domain/templates/template-context.js";
import { renderWording, type Wording } from "../../domain/templates/template-rendering.js";
import type { Presentation } from "../../providers/push-provider.js";

/** What direct mode sends and webhook mode proposes to the customer's server. */
export interface Notification {
  title: string;
  body: string;
  /** Custom keys, all strings. */
  data: Record<string, string>;
  module: NotificationModule;
  /** `call.ringing`: VoIP on iOS, high-priority data on FCM. */
  call: boolean;
  /** From the app's template for the event type, when it has one. */
  presentation?: Presentation;
}

/**
 * APNs and FCM refuse payloads over 4 KiB; the body is shortened so title, body and
 * data fit with room for the providers' own keys.
 */
const payloadBudgetBytes = 3500;
const maxTitleBytes = 250;
/** However much room `data` takes, a body keeps at least this much of its text. */
const minBodyBytes = 64;

function moduleOf(event: LiveEvent): NotificationModule {
  if (event.type === "call.ringing") return "video";
  if (event.type === "notification.custom") return event.module ?? "chat";
  return "chat";
}

/** The built-in English wording of an event that notifies, or null (membership only). */
function wording(event: LiveEvent): (Wording & { module: NotificationModule }) | null {
  if (!isTemplateEventType(event.type)) return null;
  const { title, body } = renderWording(event.type, null, null, builtInLocale, templateView(event, null));
  return { title, body, module: moduleOf(event) };
}

/** Providers take string values only: other JSON values travel as their JSON text; null ones are left out. */
export function stringValues(data: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    if (value !== undefined && value !== null)
      result[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return result;
}

/**
 * The keys the gateway sets itself (event id, type, channel, message, call): the apps read
 * them, and the providers' collapse ids and tags are made from them.
 */
export function gatewayData(event: LiveEvent): Record<string, string> {
  const data: Record<string, string> = { event_id: event.id, event_type: event.type };
  if (event.channel) data.channel_id = event.channel.id;
  if (event.message) data.message_id = event.message.id;
  if (event.type === "call.ringing") data.call_id = event.call.id;
  return data;
}

/** The custom keys: the event's own `data`, then the gateway's, which win over keys of the same name. */
export function notificationData(event: LiveEvent): Record<string, string> {
  return { ...stringValues(event.data ?? {}), ...gatewayData(event) };
}

/** Cuts `text` to at most `maxBytes` of UTF-8, ending in "…" when it was cut. */
export function shorten(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const ellipsis = "…";
  let budget = Math.max(0, maxBytes - Buffer.byteLength(ellipsis));
  let result = "";
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (size > budget) break;
    result += char;
    budget -= size;
  }
  return result + ellipsis;
}

/**
 * Title and body cut to the payload budget next to `data`: the title to its own limit, the
 * body to the room left. Proposals and customers' edits are both cut here.
 */
export function fitToPayload(
  title: string,
  body: string,
  data: Record<string, string>,
): { title: string; body: string } {
  const fittedTitle = shorten(title, maxTitleBytes);
  const room = payloadBudgetBytes - Buffer.byteLength(JSON.stringify(data)) - Buffer.byteLength(fittedTitle);
  return { title: fittedTitle, body: shorten(body, Math.max(room, minBodyBytes)) };
}

/** The notification an event gives, or null when it notifies nobody. */
export function renderNotification(event: LiveEvent): Notification | null {
  const words = wording(event);
  if (!words) return null;
  const data = notificationData(event);
  return {
    ...fitToPayload(words.title, words.body, data),
    data,
    module: words.module,
    call: event.type === "call.ringing",
  };
}
