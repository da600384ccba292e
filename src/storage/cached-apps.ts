import type { ActiveSecret, App, AppSecrets, SecretKind, WebhookDisabled } from "../domain/apps/app.js";
import type { AppChanges, AppRepository } from "../domain/apps/app-repository.js";
import { type AppCacheOptions, type AppChangeFeed, PerAppCache } from "./per-app-cache.js";
import type { Store } from "./store.js";

interface CachedApp {
  app: App;
  secrets: Map<SecretKind, ActiveSecret[]>;
}

/**
 * The app and its secrets are read by every event post, every job and every server-key
 * call, and change rarely: each process keeps them, forgets an app when any process changes
 * it (the feed), and reads the database again after `maxAgeMs` at the latest. A secret
 * remembered past its `expiresAt` is not offered. Lookups that found nothing are not kept,
 * so unknown ids cannot fill the cache.
 */
export class CachedAppRepository implements AppRepository {
  private readonly cache: PerAppCache<CachedApp>;

  constructor(
    private readonly inner: AppRepository,
    feed: AppChangeFeed,
    options: AppCacheOptions,
  ) {
    this.cache = new PerAppCache(feed, options);
  }

  async findById(id: string): Promise<App | null> {
    const hit = this.cache.fresh(id);
    if (hit) return hit.app;
    const found = await this.cache.load(id, async () => {
      const app = await this.inner.findById(id);
      return app && { app, secrets: new Map() };
    });
    return found?.app ?? null;
  }

  async activeSecrets(appId: string, kind: SecretKind, now: Date): Promise<ActiveSecret[]> {
    const hit = this.cache.fresh(appId);
    const known = hit?.secrets.get(kind);
    if (known) return known.filter((secret) => secret.expiresAt === null || secret.expiresAt > now);
    const generation = this.cache.currentGeneration();
    const secrets = await this.inner.activeSecrets(appId, kind, now);
    // Only beside its app, so that a forgotten app takes its secrets with it.
    if (hit && this.cache.stillKept(appId, hit, generation)) hit.secrets.set(kind, secrets);
    return secrets;
  }

  findByApiKey(apiKey: string): Promise<App | null> {
    return this.inner.findByApiKey(apiKey);
  }

  findIdByServerKey(serverKey: string, now: Date): Promise<string | null> {
    return this.inner.findIdByServerKey(serverKey, now);
  }

  list(): Promise<App[]> {
    return this.inner.list();
  }

  async create(app: App, secrets: AppSecrets): Promise<void> {
    await this.inner.create(app, secrets);
    await this.cache.changed(app.id);
  }

  async update(id: string, changes: AppChanges): Promise<App | null> {
    const updated = await this.inner.update(id, changes);
    await this.cache.changed(id);
    return updated;
  }

  async disableWebhook(id: string, disabled: WebhookDisabled): Promise<App | null> {
    const updated = await this.inner.disableWebhook(id, disabled);
    await this.cache.changed(id);
    return updated;
  }

  async enableWebhookAfterFailures(id: string, at: Date): Promise<App | null> {
    const updated = await this.inner.enableWebhookAfterFailures(id, at);
    await this.cache.changed(id);
    return updated;
  }

  async delete(id: string): Promise<boolean> {
    const deleted = await this.inner.delete(id);
    await this.cache.changed(id);
    return deleted;
  }

  async rotateSecret(
    appId: string,
    kind: SecretKind,
    secret: string,
    previousValidUntil: Date,
  ): Promise<void> {
    await this.inner.rotateSecret(appId, kind, secret, previousValidUntil);
    await this.cache.changed(appId);
  }

  /** Expired secrets are never offered from the cache, so removing them changes nothing it holds. */
  purgeExpiredSecrets(now: Date): Promise<number> {
    return this.inner.purgeExpiredSecrets(now);
  }
}

/**
 * `store` with its apps and templates read through the caches in front of them
 * (`CachedAppRepository`, `CachedTemplateRepository`).
 */
export function withCachedRepositories(store: Store, cached: Pick<Store, "apps" | "templates">): Store {
  return {
    kind: store.kind,
    apps: cached.apps,
    events: store.events,
    deviceDeliveries: store.deviceDeliveries,
    channels: store.channels,
    sessions: store.sessions,
    devices: store.devices,
    notificationSettings: store.notificationSettings,
    templates: cached.templates,
    audience: store.audience,
    tokens: store.tokens,
    ping: () => store.ping(),
    close: () => store.close(),
  };
}
