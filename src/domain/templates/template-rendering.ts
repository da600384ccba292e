import Mustache from "mustache";
import { builtInWording } from "./built-in-templates.js";
import { builtInLocale, matchLocale } from "./locale.js";
import type { LocaleWording, NotificationTemplate, TemplateEventType } from "./template.js";

/** A notification's text before the providers' byte limits are applied. */
export interface Wording {
  title: string;
  body: string;
}

/** The locale a rendering used, and whether a stored template failed and the built-in wording stood in. */
export interface RenderedWording extends Wording {
  localeUsed: string;
  fellBack: boolean;
}

/** Templates are plain text, not HTML: nothing is escaped. */
const plainText = { escape: (value: unknown) => String(value) };

function render(text: string, view: Record<string, unknown>): string {
  return Mustache.render(text, view, {}, plainText);
}

function builtIn(
  eventType: TemplateEventType,
  view: Record<string, unknown>,
  field: "body" | "burst_body",
): Wording {
  const wording = builtInWording[eventType];
  return { title: render(wording.title, view), body: render(wording[field], view) };
}

/**
 * The title and body of `eventType` for a recipient whose language is `wanted`: the template's
 * closest locale (see `matchLocale`), a field it leaves out taken from the built-in wording.
 * `burst` renders `burst_body` in place of `body`. A stored template that fails to render gives
 * the built-in English wording, marked `fellBack`, never a failed send.
 */
export function renderWording(
  eventType: TemplateEventType,
  template: NotificationTemplate | null,
  wanted: string | null,
  appDefaultLocale: string,
  view: Record<string, unknown>,
  burst = false,
): RenderedWording {
  const field = burst ? "burst_body" : "body";
  const locale = template ? matchLocale(wanted, Object.keys(template.locales), appDefaultLocale) : null;
  if (template && locale !== null) {
    const wording = template.locales[locale] as LocaleWording;
    try {
      const fallback = builtInWording[eventType];
      return {
        title: render(wording.title ?? fallback.title, view),
        body: render(wording[field] ?? fallback[field], view),
        localeUsed: locale,
        fellBack: false,
      };
    } catch {
      return { ...builtIn(eventType, view, field), localeUsed: builtInLocale, fellBack: true };
    }
  }
  return { ...builtIn(eventType, view, field), localeUsed: builtInLocale, fellBack: false };
}
