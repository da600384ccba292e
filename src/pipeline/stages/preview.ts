import type { LiveEvent } from "../../domain/events/live-event.js";
import type { NotificationTemplate, TemplateEventType } from "../../domain/templates/template.js";
import { templateView } from "../../domain/templates/template-context.js";
import { renderWording } from "../../domain/templates/template-rendering.js";
import { fitToPayload, notificationData } from "./render.js";

/** What a preview shows: the notification's text, and the template's locale that rendered it. */
export interface NotificationPreview {
  title: string;
  body: string;
  localeUsed: string;
}

/**
 * The title and body a recipient whose language is `locale` gets for `event` (of `eventType`)
 * from `template` (null: the built-in wording): the send's rendering and the send's cut, so
 * the API's preview and the console's show what is sent.
 */
export function previewNotification(
  event: LiveEvent,
  eventType: TemplateEventType,
  template: NotificationTemplate | null,
  locale: string | null,
  appDefaultLocale: string,
): NotificationPreview {
  const wording = renderWording(eventType, template, locale, appDefaultLocale, templateView(event, null));
  const fitted = fitToPayload(wording.title, wording.body, notificationData(event));
  return { title: fitted.title, body: fitted.body, localeUsed: wording.localeUsed };
}
