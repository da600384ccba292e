import { builtInWording } from "../../domain/templates/built-in-templates.js";
import { builtInLocale } from "../../domain/templates/locale.js";
import type { TemplateEventType } from "../../domain/templates/template.js";
import type { StoredTemplate } from "../../domain/templates/template-repository.js";
import type { TemplateResponse } from "../schemas/templates.js";

/** The app's template of an event type, or the built-in wording when it stored none. */
export function presentTemplate(
  eventType: TemplateEventType,
  stored: StoredTemplate | null,
): TemplateResponse {
  if (!stored) {
    return {
      event_type: eventType,
      built_in: true,
      template: { locales: { [builtInLocale]: { ...builtInWording[eventType] } } },
    };
  }
  return {
    event_type: eventType,
    built_in: false,
    template: stored.template,
    updated_at: stored.updatedAt.toISOString(),
  };
}
