import type { App } from "../../domain/apps/app.js";
import type { LiveEvent } from "../../domain/events/live-event.js";
import { type Mentions, mentionsOf } from "../../domain/events/mentions.js";
import { matchLocale } from "../../domain/templates/locale.js";
import {
  isTemplateEventType,
  type NotificationTemplate,
  type TemplateEventType,
} from "../../domain/templates/template.js";
import { recipientVariables, templateView, viewFor } from "../../domain/templates/template-context.js";
import { renderWording, type Wording } from "../../domain/templates/template-rendering.js";
import type { TemplateRepository } from "../../domain/templates/template-repository.js";
import { templateNames } from "../../domain/templates/template-validation.js";
import type { PushTarget } from "../../providers/push-provider.js";
import type { QueuedMessage } from "../jobs.js";
import { fitToPayload, type Notification } from "./render.js";

/** Where the event stage reads an app's template. */
export type TemplateSource = Pick<TemplateRepository, "find">;

export interface TemplateObserver {
  /** A stored template failed to render and the built-in wording stood in. */
  fallback(eventType: TemplateEventType): void;
}

/** A template naming `recipient.*` or `mentioned`: what delivery needs to render it per recipient. */
export interface RecipientRendering extends Mentions {
  eventType: TemplateEventType;
  template: NotificationTemplate;
  /** `templateView(event, null)`. */
  view: Record<string, unknown>;
}

/**
 * An app's template as delivery jobs carry it: rendered once per template locale at the event
 * stage (a handful, whatever the audience, and a later edit of the template leaves queued jobs
 * as they were), or, when its text differs per recipient, the template itself.
 */
export type Localization = { byLocale: Record<string, Wording> } | { perRecipient: RecipientRendering };

/** The notification in the app's default locale, and the rest of its languages for delivery. */
export interface LocalizedNotification {
  notification: Notification;
  localized?: Localization;
  /** The app's own template for the event type, if it has one. */
  template: NotificationTemplate | null;
}

/** Renders a stored template, counting its failures; the result fits the payload next to `data`. */
function renderer(
  eventType: TemplateEventType,
  template: NotificationTemplate,
  defaultLocale: string,
  data: Record<string, string>,
  observer?: TemplateObserver,
) {
  return (wanted: string | null, view: Record<string, unknown>): Wording => {
    const rendered = renderWording(eventType, template, wanted, defaultLocale, view);
    if (rendered.fellBack) observer?.fallback(eventType);
    return fitToPayload(rendered.title, rendered.body, data);
  };
}

/**
 * The app's template applied to a notification: its wording in the app's default locale (what
 * webhook mode proposes, and what a recipient whose language the template lacks gets) and, for
 * direct delivery, its wording per locale. Without a template the notification stays as it is.
 */
export async function localizeNotification(
  app: App,
  event: LiveEvent,
  notification: Notification,
  templates: TemplateSource,
  observer?: TemplateObserver,
): Promise<LocalizedNotification> {
  if (!isTemplateEventType(event.type)) return { notification, template: null };
  const stored = await templates.find(app.id, event.type);
  if (!stored) return { notification, template: null };
  const { template } = stored;
  const presentation = { apns: template.apns, android: template.android };
  const render = renderer(event.type, template, app.defaultLocale, notification.data, observer);
  const view = templateView(event, null);

  if (templateNames(template, recipientVariables)) {
    return {
      notification: { ...notification, ...render(null, view), presentation },
      template,
      localized: {
        perRecipient: {
          eventType: event.type,
          template,
          view,
          ...mentionsOf(event),
        },
      },
    };
  }
  const locales = Object.keys(template.locales);
  const byLocale = Object.fromEntries(locales.map((locale) => [locale, render(locale, view)]));
  const defaultLocale = matchLocale(null, locales, app.defaultLocale);
  const wording = defaultLocale === null ? notification : (byLocale[defaultLocale] as Wording);
  return {
    notification: { ...notification, title: wording.title, body: wording.body, presentation },
    template,
    localized: { byLocale },
  };
}

/** Targets that get the same wording, sent together. */
export interface WordingGroup {
  wording: Wording;
  targets: PushTarget[];
}

/**
 * A chunk's targets grouped by the wording each gets: per matched locale (its own language,
 * else the app's default, else the message's own wording), or per recipient and locale when the
 * template names the recipient.
 */
export function groupByWording(
  message: QueuedMessage,
  targets: PushTarget[],
  appDefaultLocale: string,
  observer?: TemplateObserver,
): WordingGroup[] {
  const { localized } = message;
  if (!localized) return [{ wording: message, targets }];
  const groups = new Map<string, WordingGroup>();
  const add = (key: string, target: PushTarget, wording: () => Wording) => {
    const group = groups.get(key);
    if (group) group.targets.push(target);
    else groups.set(key, { wording: wording(), targets: [target] });
  };

  if ("byLocale" in localized) {
    const locales = Object.keys(localized.byLocale);
    for (const target of targets) {
      const locale = matchLocale(target.locale ?? null, locales, appDefaultLocale);
      add(locale ?? "", target, () => (locale === null ? message : (localized.byLocale[locale] as Wording)));
    }
  } else {
    const { eventType, template, view, mentionedUserIds, mentionsEveryone } = localized.perRecipient;
    const render = renderer(eventType, template, appDefaultLocale, message.data, observer);
    const mentioned = new Set(mentionedUserIds);
    for (const target of targets) {
      const id = target.userId ?? "";
      const locale = target.locale ?? null;
      add(JSON.stringify([id, locale]), target, () =>
        render(locale, viewFor(view, { id, locale, mentioned: mentionsEveryone || mentioned.has(id) })),
      );
    }
  }
  return [...groups.values()];
}
