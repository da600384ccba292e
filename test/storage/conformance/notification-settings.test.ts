import { expect } from "chai";
import type {
  UserNotificationSettings,
  UserSettingsChange,
} from "../../../src/domain/notification-settings/notification-settings.js";
import { SqlNotificationSettingsRepository } from "../../../src/storage/repositories/notification-settings.js";
import { insertApp } from "../support/rows.js";
import { openTestSqlDatabase, type TestSqlDatabase } from "../support/test-sql-database.js";

const defaults: UserNotificationSettings = {
  enabled: true,
  modules: [
    { module: "chat", enabled: true, roleFilter: null },
    { module: "social", enabled: true, roleFilter: null },
    { module: "video", enabled: true, roleFilter: null },
  ],
  snoozedUntil: null,
  quietHours: null,
  locale: null,
};

describe("storage conformance: notification settings", () => {
  let database: TestSqlDatabase;
  let settings: SqlNotificationSettingsRepository;

  before(async () => {
    database = await openTestSqlDatabase();
    settings = new SqlNotificationSettingsRepository(database.db);
    await insertApp(database.db, "app_1");
    await insertApp(database.db, "app_2");
  });
  after(() => database.close());

  describe("user level", () => {
    it("reads as all enabled until changed", async () => {
      expect(await settings.userSettings("app_1", "u-defaults")).to.deep.equal(defaults);
    });

    it("changes only what a change names, returning the settings after it", async () => {
      const social = await settings.changeUserSettings("app_1", "u-subset", {
        modules: [{ module: "social", enabled: false }],
      });
      expect(social.modules[1]).to.deep.equal({ module: "social", enabled: false, roleFilter: null });

      await settings.changeUserSettings("app_1", "u-subset", {
        modules: [{ module: "video", roleFilter: { only: ["moderator", "admin"] } }],
      });
      const off = await settings.changeUserSettings("app_1", "u-subset", { enabled: false });
      const expected: UserNotificationSettings = {
        enabled: false,
        modules: [
          { module: "chat", enabled: true, roleFilter: null },
          { module: "social", enabled: false, roleFilter: null },
          { module: "video", enabled: true, roleFilter: { only: ["moderator", "admin"] } },
        ],
        snoozedUntil: null,
        quietHours: null,
        locale: null,
      };
      expect(off).to.deep.equal(expected);
      expect(await settings.userSettings("app_1", "u-subset")).to.deep.equal(expected);

      const replaced = await settings.changeUserSettings("app_1", "u-subset", {
        enabled: true,
        modules: [
          { module: "video", enabled: false, roleFilter: { not: ["bot"] } },
          { module: "social", roleFilter: { only: [] } },
        ],
      });
      expect(replaced).to.deep.equal({
        ...defaults,
        enabled: true,
        modules: [
          { module: "chat", enabled: true, roleFilter: null },
          { module: "social", enabled: false, roleFilter: { only: [] } },
          { module: "video", enabled: false, roleFilter: { not: ["bot"] } },
        ],
      });

      const cleared = await settings.changeUserSettings("app_1", "u-subset", {
        modules: [{ module: "video", roleFilter: null }],
      });
      expect(cleared.modules[2]).to.deep.equal({ module: "video", enabled: false, roleFilter: null });
    });

    it("keeps the user's locale until a change names it, and forgets it when set to null", async () => {
      const set = await settings.changeUserSettings("app_1", "u-locale", { locale: "fr-CA" });
      expect(set).to.deep.equal({ ...defaults, locale: "fr-CA" });
      await settings.changeUserSettings("app_1", "u-locale", { enabled: false, snoozedUntil: null });
      expect(await settings.userSettings("app_1", "u-locale")).to.deep.equal({
        ...defaults,
        enabled: false,
        locale: "fr-CA",
      });
      await settings.changeUserSettings("app_1", "u-locale", { locale: "de" });
      const cleared = await settings.changeUserSettings("app_1", "u-locale", { locale: null });
      expect(cleared).to.deep.equal({ ...defaults, enabled: false });
      expect((await settings.userSettings("app_1", "u-other-locale")).locale).to.equal(null);
    });

    it("writes nothing for a change that names nothing, and answers the current settings", async () => {
      await settings.changeUserSettings("app_1", "u-nothing", {
        modules: [{ module: "chat", enabled: false }],
      });
      const unchanged = await settings.changeUserSettings("app_1", "u-nothing", {
        modules: [{ module: "social" }],
      });
      expect(unchanged.modules.map((module) => module.enabled)).to.deep.equal([false, true, true]);
      expect(await settings.changeUserSettings("app_1", "u-nothing", {})).to.deep.equal(unchanged);
    });

    it("applies a module named twice as if one entry followed the other", async () => {
      const twice = await settings.changeUserSettings("app_1", "u-twice", {
        modules: [
          { module: "chat", enabled: false, roleFilter: { only: ["a"] } },
          { module: "chat", roleFilter: { not: ["b"] } },
        ],
      });
      expect(twice.modules[0]).to.deep.equal({ module: "chat", enabled: false, roleFilter: { not: ["b"] } });
    });

    it("keeps every one of concurrent changes that name different settings of one user", async () => {
      const changes = (enabled: boolean): UserSettingsChange[] => [
        { enabled },
        { modules: [{ module: "chat", enabled }] },
        { modules: [{ module: "chat", roleFilter: enabled ? null : { only: ["chat"] } }] },
        { modules: [{ module: "social", enabled }] },
        { modules: [{ module: "social", roleFilter: enabled ? null : { not: ["social"] } }] },
        { modules: [{ module: "video", enabled }] },
        { modules: [{ module: "video", roleFilter: enabled ? null : { only: ["video"] } }] },
      ];
      // First onto rows that do not exist yet (concurrent inserts of one row), then onto those rows.
      await Promise.all(
        changes(false).map((change) => settings.changeUserSettings("app_1", "u-race", change)),
      );
      expect(await settings.userSettings("app_1", "u-race")).to.deep.equal({
        ...defaults,
        enabled: false,
        modules: [
          { module: "chat", enabled: false, roleFilter: { only: ["chat"] } },
          { module: "social", enabled: false, roleFilter: { not: ["social"] } },
          { module: "video", enabled: false, roleFilter: { only: ["video"] } },
        ],
      });
      await Promise.all(
        changes(true).map((change) => settings.changeUserSettings("app_1", "u-race", change)),
      );
      expect(await settings.userSettings("app_1", "u-race")).to.deep.equal(defaults);
    });

    it("applies concurrent changes naming the same modules in different orders without deadlocking", async () => {
      const orders = [
        ["chat", "social", "video"],
        ["video", "social", "chat"],
        ["social", "video", "chat"],
      ] as const;
      const roleFilter = { only: ["moderator"] };
      for (let round = 0; round < 10; round++) {
        await Promise.all(
          Array.from({ length: 24 }, (_, i) =>
            settings.changeUserSettings("app_1", `u-orders-${i % 2}`, {
              modules: (orders[i % orders.length] ?? []).map((module) => ({
                module,
                enabled: false,
                roleFilter,
              })),
            }),
          ),
        );
      }
      for (const userId of ["u-orders-0", "u-orders-1"]) {
        expect(await settings.userSettings("app_1", userId)).to.deep.equal({
          ...defaults,
          enabled: true,
          modules: defaults.modules.map(({ module }) => ({ module, enabled: false, roleFilter })),
        });
      }
    });
  });

  describe("channel level", () => {
    it("keeps one switch per channel, enabled until set", async () => {
      expect((await settings.channelSettings("app_1", "u-channels", "team/general")).level).to.equal("all");
      await settings.changeChannelSettings("app_1", "u-channels", "team/general", { level: "none" });
      expect((await settings.channelSettings("app_1", "u-channels", "team/general")).level).to.equal("none");
      expect((await settings.channelSettings("app_1", "u-channels", "random")).level).to.equal("all");
      await settings.changeChannelSettings("app_1", "u-channels", "team/general", { level: "all" });
      expect((await settings.channelSettings("app_1", "u-channels", "team/general")).level).to.equal("all");
    });

    it("sets one new channel switch from concurrent writers without a conflict", async () => {
      await Promise.all(
        Array.from({ length: 8 }, () =>
          settings.changeChannelSettings("app_1", "u-channel-race", "c1", { level: "none" }),
        ),
      );
      expect((await settings.channelSettings("app_1", "u-channel-race", "c1")).level).to.equal("none");
    });

    it("keeps channel switches apart from the user's and the modules' even under a module's name", async () => {
      await settings.changeChannelSettings("app_1", "u-named", "chat", { level: "none" });
      await settings.changeChannelSettings("app_1", "u-named", "", { level: "none" });
      expect(await settings.userSettings("app_1", "u-named")).to.deep.equal(defaults);
      await settings.changeUserSettings("app_1", "u-named", {
        enabled: true,
        modules: [{ module: "chat", enabled: true }],
      });
      expect((await settings.channelSettings("app_1", "u-named", "chat")).level).to.equal("none");
      expect((await settings.channelSettings("app_1", "u-named", "")).level).to.equal("none");
    });
  });

  it("keeps each app's and each user's settings apart", async () => {
    await settings.changeUserSettings("app_1", "alice", {
      enabled: false,
      modules: [{ module: "video", enabled: false, roleFilter: { only: ["x"] } }],
    });
    await settings.changeChannelSettings("app_1", "alice", "c1", { level: "none" });
    expect(await settings.userSettings("app_1", "bob")).to.deep.equal(defaults);
    expect((await settings.channelSettings("app_1", "bob", "c1")).level).to.equal("all");
    expect(await settings.userSettings("app_2", "alice")).to.deep.equal(defaults);
    expect((await settings.channelSettings("app_2", "alice", "c1")).level).to.equal("all");

    await settings.changeUserSettings("app_2", "alice", { modules: [{ module: "video", roleFilter: null }] });
    expect((await settings.userSettings("app_1", "alice")).modules[2]).to.deep.equal({
      module: "video",
      enabled: false,
      roleFilter: { only: ["x"] },
    });
  });
});
