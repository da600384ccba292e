import type { NotificationTemplate, TemplateEventType } from "../../../src/domain/templates/template.js";
import type { StoredTemplate } from "../../../src/domain/templates/template-repository.js";
import type { TemplateObserver, TemplateSource } from "../../../src/pipeline/stages/localize.js";

/** Templates held in memory, per app and event type. */
export class InMemoryTemplates implements TemplateSource {
  private readonly templates = new Map<string, StoredTemplate>();

  put(appId: string, eventType: TemplateEventType, template: NotificationTemplate): void {
    this.templates.set(`${appId}\0${eventType}`, { eventType, template, updatedAt: new Date() });
  }

  async find(appId: string, eventType: TemplateEventType): Promise<StoredTemplate | null> {
    return this.templates.get(`${appId}\0${eventType}`) ?? null;
  }
}

/** Counts the fallbacks to the built-in wording, per event type. */
export class CountedFallbacks implements TemplateObserver {
  readonly counts: Partial<Record<TemplateEventType, number>> = {};

  fallback(eventType: TemplateEventType): void {
    this.counts[eventType] = (this.counts[eventType] ?? 0) + 1;
  }
}
