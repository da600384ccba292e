import { expect } from "chai";
import type { NotificationTemplate, TemplateEventType } from "../../src/domain/templates/template.js";
import type { StoredTemplate, TemplateRepository } from "../../src/domain/templates/template-repository.js";
import { CachedTemplateRepository } from "../../src/storage/cached-templates.js";
import type { AppChangeFeed } from "../../src/storage/per-app-cache.js";

const at = new Date("2026-11-01T00:00:00Z");

function wording(title: string): NotificationTemplate {
  return { locales: { en: { title } } };
}

/** The database behind the cache: counts its list reads, and can hold one until released. */
class CountingTemplates implements TemplateRepository {
  readonly stored = new Map<string, Map<TemplateEventType, StoredTemplate>>();
  reads = 0;
  hold: Promise<void> | null = null;

  async find(appId: string, eventType: TemplateEventType): Promise<StoredTemplate | null> {
    return this.stored.get(appId)?.get(eventType) ?? null;
  }

  async list(appId: string): Promise<StoredTemplate[]> {
    this.reads += 1;
    const found = [...(this.stored.get(appId)?.values() ?? [])];
    if (this.hold) await this.hold;
    return found;
  }

  async put(
    appId: string,
    eventType: TemplateEventType,
    template: NotificationTemplate,
    when: Date,
  ): Promise<StoredTemplate> {
    const stored = { eventType, template, updatedAt: when };
    const ofApp = this.stored.get(appId) ?? new Map();
    ofApp.set(eventType, stored);
    this.stored.set(appId, ofApp);
    return stored;
  }

  async delete(appId: string, eventType: TemplateEventType): Promise<boolean> {
    return this.stored.get(appId)?.delete(eventType) ?? false;
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

describe("templates cached per process", () => {
  let database: CountingTemplates;
  let feed: FakeFeed;
  let clock: number;
  let cache: CachedTemplateRepository;

  const titleOf = async (appId: string, eventType: TemplateEventType) =>
    (await cache.find(appId, eventType))?.template.locales.en?.title;

  beforeEach(async () => {
    database = new CountingTemplates();
    await database.put("a1", "message.created", wording("a1 message"), at);
    await database.put("a1", "call.ringing", wording("a1 call"), at);
    await database.put("a2", "message.created", wording("a2 message"), at);
    feed = new FakeFeed();
    clock = 0;
    cache = new CachedTemplateRepository(database, feed, { maxApps: 2, maxAgeMs: 10_000, now: () => clock });
  });

  it("reads an app's templates of every type in one list read, then from memory", async () => {
    expect(await titleOf("a1", "message.created")).to.equal("a1 message");
    expect(await titleOf("a1", "call.ringing")).to.equal("a1 call");
    expect(await cache.find("a1", "channel.created")).to.equal(null);
    expect((await cache.list("a1")).map((stored) => stored.eventType)).to.have.members([
      "message.created",
      "call.ringing",
    ]);
    expect(database.reads).to.equal(1);
  });

  it("keeps an app without templates as one, too", async () => {
    expect(await cache.find("a3", "message.created")).to.equal(null);
    expect(await cache.find("a3", "call.ringing")).to.equal(null);
    expect(database.reads).to.equal(1);
  });

  it("reads an app's templates again after a put or a delete through it, and announces the app", async () => {
    await cache.list("a1");
    await cache.put("a1", "message.created", wording("reworded"), at);
    expect(await titleOf("a1", "message.created")).to.equal("reworded");
    expect(await cache.delete("a1", "call.ringing")).to.equal(true);
    expect(await cache.find("a1", "call.ringing")).to.equal(null);
    expect(feed.announced).to.deep.equal(["a1", "a1"]);
  });

  it("forgets the templates of an app another process changed, and everything after a lost connection", async () => {
    await cache.list("a1");
    await cache.list("a2");
    await database.put("a1", "message.created", wording("changed elsewhere"), at);
    await database.put("a2", "message.created", wording("also changed"), at);
    feed.hear({ appId: "a1" });
    expect(await titleOf("a1", "message.created")).to.equal("changed elsewhere");
    expect(await titleOf("a2", "message.created")).to.equal("a2 message");
    feed.hear("everything");
    expect(await titleOf("a2", "message.created")).to.equal("also changed");
  });

  it("does not keep a read that began before a change was heard", async () => {
    let release = () => {};
    database.hold = new Promise((resolve) => {
      release = resolve;
    });
    const reading = cache.find("a1", "message.created");
    await database.put("a1", "message.created", wording("changed elsewhere"), at);
    feed.hear({ appId: "a1" });
    release();
    expect((await reading)?.template.locales.en?.title).to.equal("a1 message");
    database.hold = null;
    expect(await titleOf("a1", "message.created")).to.equal("changed elsewhere");
  });

  it("reads again once an entry is older than the bound, should an announcement be lost", async () => {
    await cache.list("a1");
    await database.put("a1", "message.created", wording("changed unheard"), at);
    clock = 10_001;
    expect(await titleOf("a1", "message.created")).to.equal("changed unheard");
  });

  it("keeps the templates of at most maxApps apps, dropping the least recently read", async () => {
    await cache.list("a1");
    await cache.list("a2");
    await cache.list("a1");
    await cache.list("a3");
    database.reads = 0;
    await cache.list("a1");
    await cache.list("a3");
    expect(database.reads).to.equal(0);
    await cache.list("a2");
    expect(database.reads).to.equal(1);
  });
});
