import type { ActiveSecret, App, AppSecrets, SecretKind } from "../domain/apps/app.js";
import type { AppChanges, AppRepository } from "../domain/apps/app-repository.js";
import type { Store } from "./store.js";

/**
 * How the processes of a deployment tell one another that an app changed. `announce` reaches
 * every process but the caller's own cache, which is cleared before; `onChange` hears an app id,
 * or `everything` when messages may have been missed (a lost connection).
 */
export interface AppChangeFeed {
  announce(appId: string): Promise<void>;
  onChange(listener: (change: { appId: string } | "everything") => void): void;
}

export interface AppCacheOptions {
  /** Apps kept at most; the least recently read goes first. */
  maxApps: number;
  /** A bound on staleness should an announcement be lost between two live connections. */
  maxAgeMs: number;
  now?: () => number;
}

interface CachedApp {
  app: App;
  secrets: Map<SecretKind, ActiveSecret[]>;
  fetchedAt: number;
}

/**
 * The app and its secrets are read by every event post, every job and every server-key
 * call, and change rarely: each process keeps them, forgets an app when any process changes
 * it (the feed), and reads the database again after `maxAgeMs` at the latest. A secret
 * remembered past its `expiresAt` is not offered. Lookups that found nothing are not kept,
 * so unknown ids cannot fill the cache.
 */
export class CachedAppRepository implements AppRepository {
  private readonly cached = new Map<string, CachedApp>();
  private readonly now: () => number;
  /** Moves on at every change heard: a read that began before one must not be kept. */
  private generation = 0;

  constructor(
    private readonly inner: AppRepository,
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

  async findById(id: string): Promise<App | null> {
    const hit = this.fresh(id);
    if (hit) return hit.app;
    const fetchedAt = this.now();
    const generation = this.generation;
    const app = await this.inner.findById(id);
    if (app && generation === this.generation) this.remember(id, { app, secrets: new Map(), fetchedAt });
    return app;
  }

  async activeSecrets(appId: string, kind: SecretKind, now: Date): Promise<ActiveSecret[]> {
    const hit = this.fresh(appId);
    const known = hit?.secrets.get(kind);
    if (known) return known.filter((secret) => secret.expiresAt === null || secret.expiresAt > now);
    const generation = this.generation;
    const secrets = await this.inner.activeSecrets(appId, kind, now);
    // Only beside its app, so that a forgotten app takes its secrets with it.
    if (hit && generation === this.generation && this.cached.get(appId) === hit)
      hit.secrets.set(kind, secrets);
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
    await this.changed(app.id);
  }

  async update(id: string, changes: AppChanges): Promise<App | null> {
    const updated = await this.inner.update(id, changes);
    await this.changed(id);
    return updated;
  }

  async delete(id: string): Promise<boolean> {
    const deleted = await this.inner.delete(id);
    await this.changed(id);
    return deleted;
  }

  async rotateSecret(
    appId: string,
    kind: SecretKind,
    secret: string,
    previousValidUntil: Date,
  ): Promise<void> {
    await this.inner.rotateSecret(appId, kind, secret, previousValidUntil);
    await this.changed(appId);
  }

  /** Expired secrets are never offered from the cache, so removing them changes nothing it holds. */
  purgeExpiredSecrets(now: Date): Promise<number> {
    return this.inner.purgeExpiredSecrets(now);
  }

  private fresh(id: string): CachedApp | undefined {
    const entry = this.cached.get(id);
    if (!entry) return undefined;
    this.cached.delete(id);
    if (this.now() - entry.fetchedAt > this.options.maxAgeMs) return undefined;
    this.cached.set(id, entry);
    return entry;
  }

  private remember(id: string, entry: CachedApp): void {
    this.cached.delete(id);
    this.cached.set(id, entry);
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

/**
 * `store` with its apps and templates read through the caches in front of them
 * (`CachedAppRepository`, `CachedTemplateRepository`).
 */
export function withCachedRepositories(store: Store, cached: Pick<Store, "apps" | "templates">): Store {
  return {
    kind: store.kind,
    apps: cached.apps,
    events: store.events,
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
