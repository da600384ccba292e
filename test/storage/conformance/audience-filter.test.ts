import { expect } from "chai";
import type { NotificationContext } from "../../../src/domain/audience/audience.js";
import { SqlAudienceFilter } from "../../../src/storage/repositories/audience-filter.js";
import { SqlNotificationSettingsRepository } from "../../../src/storage/repositories/notification-settings.js";
import { insertApp } from "../support/rows.js";
import { openTestSqlDatabase, type TestSqlDatabase } from "../support/test-sql-database.js";

const userIds = (count: number, prefix: string) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

describe("storage conformance: audience filter", () => {
  let database: TestSqlDatabase;
  let audience: SqlAudienceFilter;
  let settings: SqlNotificationSettingsRepository;

  const chat = (channelId?: string, actorRoles: string[] = []): NotificationContext => ({
    appId: "app_1",
    module: "chat",
    channelId,
    actorRoles,
    kind: "message",
    mentionedUserIds: [],
    mentionsEveryone: false,
    quietDelivery: "drop",
    at: new Date(),
  });

  before(async () => {
    database = await openTestSqlDatabase();
    audience = new SqlAudienceFilter(database.db);
    settings = new SqlNotificationSettingsRepository(database.db);
    await insertApp(database.db, "app_1");
    await insertApp(database.db, "app_2");
  });
  after(() => database.close());

  it("passes everyone whose toggles are at their defaults, 10,000 recipients in one call, in their order", async () => {
    const everyone = userIds(10_000, "plain");
    await settings.changeUserSettings("app_1", "plain-9999", {
      modules: [{ module: "chat", enabled: true }],
    });
    await settings.changeChannelSettings("app_1", "plain-5000", "c1", { level: "all" });
    expect(await audience.filter(chat("c1"), everyone)).to.deep.equal({
      allowed: everyone,
      silent: [],
      suppressed: [],
      suppressedBy: {},
      locales: {},
    });
  });

  it("suppresses by the user switch, the module's and the channel's, and counts each", async () => {
    const everyone = userIds(1500, "toggled");
    await settings.changeUserSettings("app_1", "toggled-1", { enabled: false });
    await settings.changeUserSettings("app_1", "toggled-2", {
      modules: [{ module: "chat", enabled: false }],
    });
    await settings.changeUserSettings("app_1", "toggled-3", {
      modules: [{ module: "social", enabled: false }],
    });
    await settings.changeChannelSettings("app_1", "toggled-4", "c1", { level: "none" });
    await settings.changeChannelSettings("app_1", "toggled-5", "c2", { level: "none" });
    await settings.changeUserSettings("app_1", "toggled-1400", { enabled: false });

    const inC1 = await audience.filter(chat("c1"), everyone);
    expect(inC1.suppressed).to.deep.equal(["toggled-1", "toggled-2", "toggled-4", "toggled-1400"]);
    expect(inC1.suppressedBy).to.deep.equal({ user: 2, module: 1, channel: 1 });
    expect(inC1.allowed).to.deep.equal(everyone.filter((userId) => !inC1.suppressed.includes(userId)));

    const outsideChannels = await audience.filter(chat(), everyone);
    expect(outsideChannels.suppressed).to.deep.equal(["toggled-1", "toggled-2", "toggled-1400"]);
    expect(outsideChannels.suppressedBy).to.deep.equal({ user: 2, module: 1 });

    const social = await audience.filter({ ...chat("c2"), module: "social" }, everyone);
    expect(social.suppressed).to.deep.equal(["toggled-1", "toggled-3", "toggled-5", "toggled-1400"]);
    expect(social.suppressedBy).to.deep.equal({ user: 2, module: 1, channel: 1 });
  });

  it("answers lookups made in one turn (one statement for them all) as it answers each alone", async () => {
    await settings.changeUserSettings("app_1", "turn-1", { enabled: false });
    await settings.changeUserSettings("app_2", "turn-2", { enabled: false });
    await settings.changeUserSettings("app_1", "turn-3", { modules: [{ module: "social", enabled: false }] });
    await settings.changeChannelSettings("app_1", "turn-4", "c9", { level: "none" });
    await settings.changeUserSettings("app_1", "turn-5", { locale: "fr" });
    const recipients = ["turn-1", "turn-2", "turn-3", "turn-4", "turn-5", "turn-6"];
    const lookups: NotificationContext[] = [
      chat("c9"),
      { ...chat(), appId: "app_2" },
      { ...chat("c8"), module: "social" },
      chat(),
    ];
    const alone = [];
    for (const context of lookups) alone.push(await audience.filter(context, recipients));
    const together = await Promise.all(lookups.map((context) => audience.filter(context, recipients)));
    expect(together).to.deep.equal(alone);
    expect(alone.map((decision) => decision.suppressed)).to.deep.equal([
      ["turn-1", "turn-4"],
      ["turn-2"],
      ["turn-1", "turn-3"],
      ["turn-1"],
    ]);
    expect(alone[0]?.locales).to.deep.equal({ "turn-5": "fr" });
  });

  it("counts a recipient under the first toggle that stops them: user, module, role filter, channel", async () => {
    await settings.changeUserSettings("app_1", "all-off", {
      enabled: false,
      modules: [{ module: "video", enabled: false, roleFilter: { only: ["admin"] } }],
    });
    await settings.changeChannelSettings("app_1", "all-off", "v1", { level: "none" });
    await settings.changeUserSettings("app_1", "module-off", {
      modules: [{ module: "video", enabled: false, roleFilter: { only: ["admin"] } }],
    });
    await settings.changeChannelSettings("app_1", "module-off", "v1", { level: "none" });
    await settings.changeUserSettings("app_1", "filtered", {
      modules: [{ module: "video", roleFilter: { only: ["admin"] } }],
    });
    await settings.changeChannelSettings("app_1", "filtered", "v1", { level: "none" });
    await settings.changeChannelSettings("app_1", "channel-off", "v1", { level: "none" });

    const decision = await audience.filter({ ...chat("v1"), module: "video" }, [
      "all-off",
      "module-off",
      "filtered",
      "channel-off",
      "nothing-set",
    ]);
    expect(decision).to.deep.equal({
      allowed: ["nothing-set"],
      silent: [],
      suppressed: ["all-off", "module-off", "filtered", "channel-off"],
      suppressedBy: { user: 1, module: 1, role_filter: 1, channel: 1 },
      locales: {},
    });
  });

  it("applies a module's role filter to the actor's roles", async () => {
    await settings.changeUserSettings("app_1", "only-mods", {
      modules: [{ module: "video", roleFilter: { only: ["moderator", "admin"] } }],
    });
    await settings.changeUserSettings("app_1", "no-bots", {
      modules: [{ module: "video", roleFilter: { not: ["bot"] } }],
    });
    const users = ["only-mods", "no-bots", "anyone"];
    const video = (actorRoles: string[]) =>
      audience.filter({ ...chat("c1", actorRoles), module: "video" }, users);

    expect(await video(["moderator"])).to.deep.equal({
      allowed: users,
      silent: [],
      suppressed: [],
      suppressedBy: {},
      locales: {},
    });
    expect(await video([])).to.deep.equal({
      allowed: ["no-bots", "anyone"],
      silent: [],
      suppressed: ["only-mods"],
      suppressedBy: { role_filter: 1 },
      locales: {},
    });
    expect(await video(["bot", "admin"])).to.deep.equal({
      allowed: ["only-mods", "anyone"],
      silent: [],
      suppressed: ["no-bots"],
      suppressedBy: { role_filter: 1 },
      locales: {},
    });
    expect((await audience.filter(chat(), users)).suppressed, "another module's filter").to.deep.equal([]);
  });

  it("passes a recipient again once their toggles are back on", async () => {
    await settings.changeUserSettings("app_1", "back-on", { enabled: false });
    await settings.changeChannelSettings("app_1", "back-on", "c1", { level: "none" });
    expect((await audience.filter(chat("c1"), ["back-on"])).allowed).to.deep.equal([]);
    await settings.changeUserSettings("app_1", "back-on", { enabled: true });
    await settings.changeChannelSettings("app_1", "back-on", "c1", { level: "all" });
    expect((await audience.filter(chat("c1"), ["back-on"])).allowed).to.deep.equal(["back-on"]);
  });

  it("decides each recipient once, however often listed, and nothing for no recipients", async () => {
    await settings.changeUserSettings("app_1", "listed-twice-off", { enabled: false });
    expect(
      await audience.filter(chat(), ["listed-twice", "listed-twice-off", "listed-twice", "listed-twice-off"]),
    ).to.deep.equal({
      allowed: ["listed-twice"],
      silent: [],
      suppressed: ["listed-twice-off"],
      suppressedBy: { user: 1 },
      locales: {},
    });
    expect(await audience.filter(chat("c1"), [])).to.deep.equal({
      allowed: [],
      silent: [],
      suppressed: [],
      suppressedBy: {},
      locales: {},
    });
  });

  it("gives the user locale of each allowed recipient who has one, from the same statement", async () => {
    await settings.changeUserSettings("app_1", "lang-fr", { locale: "fr-CA" });
    await settings.changeUserSettings("app_1", "lang-off", { locale: "es", enabled: false });
    await settings.changeUserSettings("app_1", "lang-cleared", { locale: "de" });
    await settings.changeUserSettings("app_1", "lang-cleared", { locale: null });
    await settings.changeUserSettings("app_2", "lang-none", { locale: "ja" });
    await settings.changeChannelSettings("app_1", "lang-none", "c1", { level: "all" });
    const users = ["lang-fr", "lang-off", "lang-cleared", "lang-none"];
    const calls: string[] = [];
    const counted = new Proxy(database.db, {
      get(target, key) {
        const value = Reflect.get(target, key);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          calls.push(String(key));
          return value.apply(target, args);
        };
      },
    });
    const { allowed, locales } = await new SqlAudienceFilter(counted).filter(chat("c1"), users);
    expect(calls).to.deep.equal(["all"]);
    expect(allowed).to.deep.equal(["lang-fr", "lang-cleared", "lang-none"]);
    expect(locales).to.deep.equal({ "lang-fr": "fr-CA" });
  });

  it("keeps apps apart", async () => {
    await settings.changeUserSettings("app_2", "shared-user", { enabled: false });
    await settings.changeChannelSettings("app_2", "shared-user", "c1", { level: "none" });
    expect((await audience.filter(chat("c1"), ["shared-user"])).allowed).to.deep.equal(["shared-user"]);
    expect(
      (await audience.filter({ ...chat("c1"), appId: "app_2" }, ["shared-user"])).suppressedBy,
    ).to.deep.equal({ user: 1 });
  });
});
