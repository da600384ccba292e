import type { NotificationTemplate, TemplateEventType } from "./template.js";

/** A template an app stored for an event type. */
export interface StoredTemplate {
  eventType: TemplateEventType;
  template: NotificationTemplate;
  updatedAt: Date;
}

/** The apps' own wording, per event type (docs/api.md, templates). */
export interface TemplateRepository {
  find(appId: string, eventType: TemplateEventType): Promise<StoredTemplate | null>;
  /** The app's templates, in event type order. */
  list(appId: string): Promise<StoredTemplate[]>;
  /** Stores or replaces the template of an event type. */
  put(
    appId: string,
    eventType: TemplateEventType,
    template: NotificationTemplate,
    at: Date,
  ): Promise<StoredTemplate>;
  /** False when the app had no template of that type. */
  delete(appId: string, eventType: TemplateEventType): Promise<boolean>;
}
