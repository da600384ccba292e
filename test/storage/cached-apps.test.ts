import { expect } from "chai";
import type { ActiveSecret, App, SecretKind } from "../../src/domain/apps/app.js";
import type { AppRepository } from "../../src/domain/apps/app-repository.js";
import { CachedAppRepository } from "../../src/storage/cached-apps.js";
import type { AppChangeFeed } from "../../src/storage/per-app-cache.js";

function app(id: string, name = "Chat"): App {
  const at = new Date("2026-11-01T00:00:00Z");
  return {
    id,
    name,
    mode: "direct",
    pushEnabled: true,
    requireAuthToken: false,
    notificationTtlSeconds: 3600,
    quietDelivery: "drop",
    badge: "count",
    burstWindowSeconds: 0,
    webpush: null,
    variants: {},
    defaultLocale: "en",
    apiKey: `pk_${id}`,
    webhook: null,
    statusCallback: null,
    fcm: null,
    apns: null,
    createdAt: at,
    updatedAt: at,
  };
}

/** The database behind the cache: counts its reads, and can hold a read until released. */
class CountingApps implements Partial<AppRepository> {
  readonly apps = new Map<string, App>();
  readonly secrets = new Map<string, ActiveSecret[]>();
  reads = 0;
  secretReads = 0;
  hold: Promise<void> | null = null;

  async findById(id: string): Promise<App | null> {
    this.reads += 1;
    const found = this.apps.get(id) ?? null;
    if (this.hold) await this.hold;
    return found;
  }

  async activeSecrets(appId: string, kind: SecretKind, now: Date): Promise<ActiveSecret[]> {
    this.secretReads += 1;
    return (this.secrets.get(`${appId}/${kind}`) ?? []).filter(
      (secret) => secret.expiresAt === null || secret.expiresAt > now,
    );
  }

  async update(id: string, changes: { name?: string }): Promise<App | null> {
    const current = this.apps.get(id);
    if (!current) return null;
    const updated = { ...current, ...changes };
    this.apps.set(id, updated);
    return updated;
  }
}

class FakeFeed implements AppChangeFeed {
  readonly announced: string[] = [];
  private listener: (change: { appId: string } | "everything") => void = () => {};
  async announce(appId: string): Promise<void> {
    this.announced.push(appId);
  }
  onChange(listener: (change: { appId: string } | "everything") => void): void {
    this.listener = listener;
  }
  /** What another process's change looks like here. */
  hear(change: { appId: string } | "everything"): void {
    this.listener(change);
  }
}

describe("apps cached per process", () => {
  let database: CountingApps;
  let feed: FakeFeed;
  let clock: number;
  let cache: CachedAppRepository;

  beforeEach(() => {
    database = new CountingApps();
    database.apps.set("a1", app("a1"));
    database.apps.set("a2", app("a2"));
    feed = new FakeFeed();
    clock = 0;
    cache = new CachedAppRepository(database as unknown as AppRepository, feed, {
      maxApps: 2,
      maxAgeMs: 10_000,
      now: () => clock,
    });
  });

  it("reads an app from the database once, then from memory", async () => {
    expect((await cache.findById("a1"))?.name).to.equal("Chat");
    expect((await cache.findById("a1"))?.name).to.equal("Chat");
    expect(database.reads).to.equal(1);
  });

  it("does not keep a lookup that found nothing", async () => {
    expect(await cache.findById("missing")).to.equal(null);
    database.apps.set("missing", app("missing"));
    expect((await cache.findById("missing"))?.id).to.equal("missing");
  });

  it("reads an app changed through it again, and announces the change to the other processes", async () => {
    await cache.findById("a1");
    await cache.update("a1", { name: "Renamed", updatedAt: new Date() });
    expect((await cache.findById("a1"))?.name).to.equal("Renamed");
    expect(feed.announced).to.deep.equal(["a1"]);
  });

  it("forgets an app another process changed, and everything after a lost connection", async () => {
    await cache.findById("a1");
    await cache.findById("a2");
    database.apps.set("a1", app("a1", "Changed elsewhere"));
    database.apps.set("a2", app("a2", "Also changed"));
    feed.hear({ appId: "a1" });
    expect((await cache.findById("a1"))?.name).to.equal("Changed elsewhere");
    expect((await cache.findById("a2"))?.name).to.equal("Chat");
    feed.hear("everything");
    expect((await cache.findById("a2"))?.name).to.equal("Also changed");
  });

  it("does not keep a read that began before a change was heard", async () => {
    let release = () => {};
    database.hold = new Promise((resolve) => {
      release = resolve;
    });
    const reading = cache.findById("a1");
    database.apps.set("a1", app("a1", "Changed elsewhere"));
    feed.hear({ appId: "a1" });
    release();
    expect((await reading)?.name).to.equal("Chat");
    database.hold = null;
    expect((await cache.findById("a1"))?.name).to.equal("Changed elsewhere");
  });

  it("reads again once an entry is older than the bound, should an announcement be lost", async () => {
    await cache.findById("a1");
    database.apps.set("a1", app("a1", "Changed unheard"));
    clock = 10_001;
    expect((await cache.findById("a1"))?.name).to.equal("Changed unheard");
  });

  it("keeps at most maxApps, dropping the least recently read", async () => {
    database.apps.set("a3", app("a3"));
    await cache.findById("a1");
    await cache.findById("a2");
    await cache.findById("a1");
    await cache.findById("a3");
    database.reads = 0;
    await cache.findById("a1");
    await cache.findById("a3");
    expect(database.reads).to.equal(0);
    await cache.findById("a2");
    expect(database.reads).to.equal(1);
  });

  it("keeps the secrets with their app and stops offering one once it expires", async () => {
    database.secrets.set("a1/event_secret", [
      { value: "new", expiresAt: null },
      { value: "old", expiresAt: new Date("2026-11-02T00:00:00Z") },
    ]);
    await cache.findById("a1");
    const before = await cache.activeSecrets("a1", "event_secret", new Date("2026-11-01T12:00:00Z"));
    expect(before.map((secret) => secret.value)).to.deep.equal(["new", "old"]);
    const after = await cache.activeSecrets("a1", "event_secret", new Date("2026-11-02T00:00:01Z"));
    expect(after.map((secret) => secret.value)).to.deep.equal(["new"]);
    expect(database.secretReads).to.equal(1);
    feed.hear({ appId: "a1" });
    await cache.activeSecrets("a1", "event_secret", new Date("2026-11-01T12:00:00Z"));
    expect(database.secretReads).to.equal(2);
  });
});
