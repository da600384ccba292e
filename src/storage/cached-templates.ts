import type { NotificationTemplate, TemplateEventType } from "../domain/templates/template.js";
import type { StoredTemplate, TemplateRepository } from "../domain/templates/template-repository.js";
import { type AppCacheOptions, type AppChangeFeed, PerAppCache } from "./per-app-cache.js";

/**
 * Every notification reads its app's templates, which change rarely: each process keeps an
 * app's whole list (one read, whatever type is asked), forgets it when any process changes a
 * template or the app (the same feed as the app cache), and reads again after `maxAgeMs` at
 * the latest. An app without templates is kept too: the list is read per app, not per id
 * someone made up, and apps are known ones by the time a notification renders.
 */
export class CachedTemplateRepository implements TemplateRepository {
  private readonly cache: PerAppCache<StoredTemplate[]>;

  constructor(
    private readonly inner: TemplateRepository,
    feed: AppChangeFeed,
    options: AppCacheOptions,
  ) {
    this.cache = new PerAppCache(feed, options);
  }

  async find(appId: string, eventType: TemplateEventType): Promise<StoredTemplate | null> {
    return (await this.list(appId)).find((stored) => stored.eventType === eventType) ?? null;
  }

  async list(appId: string): Promise<StoredTemplate[]> {
    const hit = this.cache.fresh(appId);
    if (hit) return hit;
    return (await this.cache.load(appId, () => this.inner.list(appId))) ?? [];
  }

  async put(
    appId: string,
    eventType: TemplateEventType,
    template: NotificationTemplate,
    at: Date,
  ): Promise<StoredTemplate> {
    const stored = await this.inner.put(appId, eventType, template, at);
    await this.cache.changed(appId);
    return stored;
  }

  async delete(appId: string, eventType: TemplateEventType): Promise<boolean> {
    const deleted = await this.inner.delete(appId, eventType);
    await this.cache.changed(appId);
    return deleted;
  }
}
