import type { NotificationTemplate, TemplateEventType } from "../domain/templates/template.js";
import type { StoredTemplate, TemplateRepository } from "../domain/templates/template-repository.js";
import type { AppCacheOptions, AppChangeFeed } from "./cached-apps.js";

interface CachedTemplates {
  templates: StoredTemplate[];
  fetchedAt: number;
}

/**
 * Every notification reads its app's templates, which change rarely: each process keeps an
 * app's whole list (one read, whatever type is asked), forgets it when any process changes a
 * template or the app (the same feed as the app cache), and reads again after `maxAgeMs` at
 * the latest. An app without templates is kept too: the list is read per app, not per id
 * someone made up, and apps are known ones by the time a notification renders.
 */
export class CachedTemplateRepository implements TemplateRepository {
  private readonly cached = new Map<string, CachedTemplates>();
  private readonly now: () => number;
  /** Moves on at every change heard: a read that began before one must not be kept. */
  private generation = 0;

  constructor(
    private readonly inner: TemplateRepository,
    private readonly feed: AppChangeFeed,
    private readonly options: AppCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
    feed.onChange((change) => {
      this.generation += 1;
      if (change === "everything") this.cached.clear();
      else this.cached.delete(change.appId);
    });
  }

  async find(appId: string, eventType: TemplateEventType): Promise<StoredTemplate | null> {
    return (await this.list(appId)).find((stored) => stored.eventType === eventType) ?? null;
  }

  async list(appId: string): Promise<StoredTemplate[]> {
    const hit = this.fresh(appId);
    if (hit) return hit.templates;
    const fetchedAt = this.now();
    const generation = this.generation;
    const templates = await this.inner.list(appId);
    if (generation === this.generation) this.remember(appId, { templates, fetchedAt });
    return templates;
  }

  async put(
    appId: string,
    eventType: TemplateEventType,
    template: NotificationTemplate,
    at: Date,
  ): Promise<StoredTemplate> {
    const stored = await this.inner.put(appId, eventType, template, at);
    await this.changed(appId);
    return stored;
  }

  async delete(appId: string, eventType: TemplateEventType): Promise<boolean> {
    const deleted = await this.inner.delete(appId, eventType);
    await this.changed(appId);
    return deleted;
  }

  private fresh(appId: string): CachedTemplates | undefined {
    const entry = this.cached.get(appId);
    if (!entry) return undefined;
    this.cached.delete(appId);
    if (this.now() - entry.fetchedAt > this.options.maxAgeMs) return undefined;
    this.cached.set(appId, entry);
    return entry;
  }

  private remember(appId: string, entry: CachedTemplates): void {
    this.cached.delete(appId);
    this.cached.set(appId, entry);
    if (this.cached.size > this.options.maxApps) {
      const oldest = this.cached.keys().next().value as string;
      this.cached.delete(oldest);
    }
  }

  private async changed(appId: string): Promise<void> {
    this.generation += 1;
    this.cached.delete(appId);
    await this.feed.announce(appId);
  }
}
