import { expect } from "chai";
import type { NotificationContext } from "../../../src/domain/audience/audience.js";
import type { QuietHours } from "../../../src/domain/notification-settings/quiet-hours.js";
import { SqlAudienceFilter } from "../../../src/storage/repositories/audience-filter.js";
import { SqlNotificationSettingsRepository } from "../../../src/storage/repositories/notification-settings.js";
import { insertApp } from "../support/rows.js";
import { openTestSqlDatabase, type TestSqlDatabase } from "../support/test-sql-database.js";

/** A Wednesday, 12:00 UTC: 13:00 in Paris, 07:00 in New York, 21:00 in Tokyo. */
const wednesdayNoon = new Date("2026-11-25T12:00:00Z");
const hours = (count: number) => count * 3_600_000;
const fromNoon = (ms: number, from = wednesdayNoon) => new Date(from.getTime() + ms);

describe("storage conformance: preferences (levels, mentions, mute, snooze, quiet hours)", () => {
  let database: TestSqlDatabase;
  let audience: SqlAudienceFilter;
  let settings: SqlNotificationSettingsRepository;

  const context = (overrides: Partial<NotificationContext> = {}): NotificationContext => ({
    appId: "app_1",
    module: "chat",
    channelId: "c1",
    actorRoles: [],
    kind: "message",
    mentionedUserIds: [],
    mentionsEveryone: false,
    quietDelivery: "drop",
    at: wednesdayNoon,
    ...overrides,
  });
  const allowed = async (users: string[], overrides: Partial<NotificationContext> = {}) =>
    (await audience.filter(context(overrides), users)).allowed;
  const quiet = (timeZone: string, windows: QuietHours["windows"], allow: QuietHours["allow"] = []) => ({
    quietHours: { timeZone, windows, allow },
  });

  before(async () => {
    database = await openTestSqlDatabase();
    audience = new SqlAudienceFilter(database.db);
    settings = new SqlNotificationSettingsRepository(database.db);
    await insertApp(database.db, "app_1");
  });
  after(() => database.close());

  describe("stored settings", () => {
    it("keeps a snooze and quiet hours, changes only what a change names, and removes them with null", async () => {
      const quietHours: QuietHours = {
        timeZone: "Europe/Paris",
        windows: [{ days: ["mon", "fri"], start: "22:00", end: "07:30" }],
        allow: ["call"],
      };
      const snoozedUntil = new Date("2026-11-30T07:00:00.000Z");
      const both = await settings.changeUserSettings("app_1", "s-user", { snoozedUntil, quietHours });
      expect(both).to.deep.include({ enabled: true, snoozedUntil, quietHours });

      const off = await settings.changeUserSettings("app_1", "s-user", { enabled: false });
      expect(off).to.deep.include({ enabled: false, snoozedUntil, quietHours }, "the switch alone changed");
      const noSnooze = await settings.changeUserSettings("app_1", "s-user", { snoozedUntil: null });
      expect(noSnooze).to.deep.include({ enabled: false, snoozedUntil: null, quietHours });
      const none = await settings.changeUserSettings("app_1", "s-user", { quietHours: null });
      expect(none).to.deep.include({ enabled: false, snoozedUntil: null, quietHours: null });
    });

    it("keeps every one of concurrent changes that name different fields of one user", async () => {
      const snoozedUntil = new Date("2026-12-01T00:00:00.000Z");
      const quietHours: QuietHours = { timeZone: "UTC", windows: [], allow: ["mention"] };
      await Promise.all([
        settings.changeUserSettings("app_1", "s-race", { enabled: false }),
        settings.changeUserSettings("app_1", "s-race", { snoozedUntil }),
        settings.changeUserSettings("app_1", "s-race", { quietHours }),
        settings.changeUserSettings("app_1", "s-race", { modules: [{ module: "chat", enabled: false }] }),
      ]);
      const read = await settings.userSettings("app_1", "s-race");
      expect(read).to.deep.include({ enabled: false, snoozedUntil, quietHours });
      expect(read.modules[0]?.enabled).to.equal(false);
    });

    it("keeps a channel's level and mute apart, and a change of one leaves the other", async () => {
      const mutedUntil = new Date("2026-11-30T08:00:00.000Z");
      expect(await settings.channelSettings("app_1", "s-chan", "c1")).to.deep.equal({
        level: "all",
        mutedUntil: null,
      });
      expect(await settings.changeChannelSettings("app_1", "s-chan", "c1", { mutedUntil })).to.deep.equal({
        level: "all",
        mutedUntil,
      });
      expect(
        await settings.changeChannelSettings("app_1", "s-chan", "c1", { level: "mentions" }),
      ).to.deep.equal({ level: "mentions", mutedUntil });
      expect(await settings.changeChannelSettings("app_1", "s-chan", "c1", {})).to.deep.equal({
        level: "mentions",
        mutedUntil,
      });
      expect(
        await settings.changeChannelSettings("app_1", "s-chan", "c1", { mutedUntil: null }),
      ).to.deep.equal({ level: "mentions", mutedUntil: null });
    });

    it("lists the channels set apart from the default at a moment: a level, or a mute still running", async () => {
      await settings.changeChannelSettings("app_1", "s-list", "b-muted", { mutedUntil: fromNoon(hours(1)) });
      await settings.changeChannelSettings("app_1", "s-list", "a-none", { level: "none" });
      await settings.changeChannelSettings("app_1", "s-list", "c-mentions", { level: "mentions" });
      await settings.changeChannelSettings("app_1", "s-list", "d-mute-over", {
        mutedUntil: fromNoon(-hours(1)),
      });
      await settings.changeChannelSettings("app_1", "s-list", "e-back", { level: "none" });
      await settings.changeChannelSettings("app_1", "s-list", "e-back", { level: "all" });
      await settings.changeChannelSettings("app_1", "someone-else", "x", { level: "none" });

      const listed = await settings.channelsApartFromDefault("app_1", "s-list", wednesdayNoon, {
        limit: 100,
      });
      expect(listed.map((entry) => entry.channelId)).to.deep.equal(["a-none", "b-muted", "c-mentions"]);
      expect(listed[1]).to.deep.equal({ channelId: "b-muted", level: "all", mutedUntil: fromNoon(hours(1)) });
      const later = await settings.channelsApartFromDefault("app_1", "s-list", fromNoon(hours(2)), {
        limit: 100,
      });
      expect(
        later.map((entry) => entry.channelId),
        "the mute ended by itself",
      ).to.deep.equal(["a-none", "c-mentions"]);
      const pages = [
        await settings.channelsApartFromDefault("app_1", "s-list", wednesdayNoon, { limit: 2 }),
        await settings.channelsApartFromDefault("app_1", "s-list", wednesdayNoon, {
          after: "b-muted",
          limit: 2,
        }),
      ];
      expect(pages.map((page) => page.map((entry) => entry.channelId))).to.deep.equal([
        ["a-none", "b-muted"],
        ["c-mentions"],
      ]);
    });
  });

  describe("channel level and mentions", () => {
    before(async () => {
      await settings.changeChannelSettings("app_1", "m-mentions", "c1", { level: "mentions" });
      await settings.changeChannelSettings("app_1", "m-none", "c1", { level: "none" });
    });
    const users = ["m-mentions", "m-none", "m-default"];

    it("passes a mention of the user and an @channel through `mentions`, and stops the rest", async () => {
      expect(await allowed(users)).to.deep.equal(["m-default"]);
      expect(await allowed(users, { mentionedUserIds: ["m-mentions", "m-none"] })).to.deep.equal([
        "m-mentions",
        "m-default",
      ]);
      expect(await allowed(users, { mentionsEveryone: true })).to.deep.equal(["m-mentions", "m-default"]);
      expect(
        await allowed(users, { mentionedUserIds: ["m-default"] }),
        "a mention of someone else",
      ).to.deep.equal(["m-default"]);
    });

    it("passes a call through `mentions`, never through `none`", async () => {
      expect(await allowed(users, { kind: "call", module: "video" })).to.deep.equal([
        "m-mentions",
        "m-default",
      ]);
    });

    it("counts `none` under channel and `mentions` without a mention under mentions_only", async () => {
      expect((await audience.filter(context(), users)).suppressedBy).to.deep.equal({
        channel: 1,
        mentions_only: 1,
      });
    });

    it("lets a mute stop even a mention, until it ends by itself", async () => {
      await settings.changeChannelSettings("app_1", "m-muted", "c1", {
        level: "mentions",
        mutedUntil: fromNoon(hours(1)),
      });
      const mention = { mentionedUserIds: ["m-muted"], mentionsEveryone: true };
      const during = await audience.filter(context(mention), ["m-muted"]);
      expect(during.suppressedBy).to.deep.equal({ channel: 1 });
      expect(
        await allowed(["m-muted"], { ...mention, at: fromNoon(hours(1)) }),
        "over at its time",
      ).to.deep.equal(["m-muted"]);
      expect(await allowed(["m-muted"], { at: fromNoon(hours(1)) }), "its level applies again").to.deep.equal(
        [],
      );
    });
  });

  describe("snooze", () => {
    before(async () => {
      await settings.changeUserSettings("app_1", "z-plain", { snoozedUntil: fromNoon(hours(2)) });
      await settings.changeUserSettings("app_1", "z-calls", {
        snoozedUntil: fromNoon(hours(2)),
        ...quiet("UTC", [], ["call", "mention"]),
      });
    });
    const users = ["z-plain", "z-calls"];

    it("stops everything until it ends, under snooze", async () => {
      const decision = await audience.filter(context(), users);
      expect(decision.suppressedBy).to.deep.equal({ snooze: 2 });
      expect(await allowed(users, { at: fromNoon(hours(2)) })).to.deep.equal(users);
    });

    it("lets through what `allow` names: a call, a message naming the user (not an @channel), nothing else", async () => {
      expect(await allowed(users, { kind: "call", module: "video" })).to.deep.equal(["z-calls"]);
      expect(await allowed(users, { mentionedUserIds: users })).to.deep.equal(["z-calls"]);
      expect(await allowed(users, { mentionsEveryone: true })).to.deep.equal([]);
      expect(await allowed(users, { kind: "custom" })).to.deep.equal([]);
    });

    it("sends what it holds back silently under quiet_delivery silent, if the later checks pass it", async () => {
      await settings.changeUserSettings("app_1", "z-module-off", {
        snoozedUntil: fromNoon(hours(2)),
        modules: [{ module: "chat", enabled: false }],
      });
      const decision = await audience.filter(context({ quietDelivery: "silent" }), [
        ...users,
        "z-module-off",
        "z-none",
      ]);
      expect(decision).to.deep.equal({
        allowed: ["z-plain", "z-calls", "z-none"],
        silent: ["z-plain", "z-calls"],
        suppressed: ["z-module-off"],
        suppressedBy: { module: 1 },
        locales: {},
      });
    });
  });

  describe("quiet hours", () => {
    const workdays = ["mon", "tue", "wed", "thu", "fri"] as const;

    it("stop a notification in a zone where a window runs now, and not in one where none does", async () => {
      // 13:00 in Paris, 07:00 in New York, 21:00 in Tokyo.
      await settings.changeUserSettings("app_1", "q-paris-lunch", {
        ...quiet("Europe/Paris", [{ days: [...workdays], start: "12:30", end: "14:00" }]),
      });
      await settings.changeUserSettings("app_1", "q-newyork-morning", {
        ...quiet("America/New_York", [{ days: [...workdays], start: "12:30", end: "14:00" }]),
      });
      await settings.changeUserSettings("app_1", "q-tokyo-weekend", {
        ...quiet("Asia/Tokyo", [{ days: ["sat", "sun"], start: "00:00", end: "24:00" }]),
      });
      const users = ["q-paris-lunch", "q-newyork-morning", "q-tokyo-weekend"];
      const decision = await audience.filter(context(), users);
      expect(decision.suppressed).to.deep.equal(["q-paris-lunch"]);
      expect(decision.suppressedBy).to.deep.equal({ quiet_hours: 1 });
      // Saturday 10:00 UTC is 19:00 in Tokyo, 11:00 in Paris.
      expect(await allowed(users, { at: new Date("2026-11-28T10:00:00Z") })).to.deep.equal([
        "q-paris-lunch",
        "q-newyork-morning",
      ]);
    });

    it("run a window past midnight into the next day, from the days it starts on", async () => {
      await settings.changeUserSettings("app_1", "q-night", {
        ...quiet("Europe/Paris", [{ days: ["fri"], start: "22:00", end: "07:30" }]),
      });
      const at = (iso: string) => ({ at: new Date(iso) });
      // Paris is UTC+1 in November.
      expect(await allowed(["q-night"], at("2026-11-27T20:59:00Z")), "Friday 21:59").to.deep.equal([
        "q-night",
      ]);
      expect(await allowed(["q-night"], at("2026-11-27T21:00:00Z")), "Friday 22:00").to.deep.equal([]);
      expect(await allowed(["q-night"], at("2026-11-28T06:29:00Z")), "Saturday 07:29").to.deep.equal([]);
      expect(await allowed(["q-night"], at("2026-11-28T06:30:00Z")), "Saturday 07:30").to.deep.equal([
        "q-night",
      ]);
      expect(await allowed(["q-night"], at("2026-11-26T22:00:00Z")), "Thursday 23:00").to.deep.equal([
        "q-night",
      ]);
      expect(await allowed(["q-night"], at("2026-11-27T05:00:00Z")), "Friday 06:00").to.deep.equal([
        "q-night",
      ]);
    });

    it("follow the zone's wall clock across a daylight-saving change", async () => {
      await settings.changeUserSettings("app_1", "q-dst", {
        ...quiet("Europe/Paris", [{ days: ["sat"], start: "22:00", end: "07:30" }]),
      });
      // Sunday 29 March 2026, Paris goes from UTC+1 to UTC+2 at 02:00 local time.
      // 05:45Z is 07:45 there (outside); a fixed UTC+1 would make it 06:45 (inside).
      expect(await allowed(["q-dst"], { at: new Date("2026-03-29T05:45:00Z") })).to.deep.equal(["q-dst"]);
      // 05:15Z is 07:15 there: still inside.
      expect(await allowed(["q-dst"], { at: new Date("2026-03-29T05:15:00Z") })).to.deep.equal([]);
      // Saturday 21:30Z is 22:30 there (UTC+1): inside.
      expect(await allowed(["q-dst"], { at: new Date("2026-03-28T21:30:00Z") })).to.deep.equal([]);
    });

    it("let through what `allow` names, and count a running snooze first", async () => {
      await settings.changeUserSettings("app_1", "q-allow", {
        ...quiet("UTC", [{ days: ["wed"], start: "00:00", end: "24:00" }], ["custom"]),
      });
      await settings.changeUserSettings("app_1", "q-snoozed-too", {
        snoozedUntil: fromNoon(hours(1)),
        ...quiet("UTC", [{ days: ["wed"], start: "00:00", end: "24:00" }]),
      });
      expect(await allowed(["q-allow"], { kind: "custom" })).to.deep.equal(["q-allow"]);
      expect(await allowed(["q-allow"], { kind: "call", module: "video" })).to.deep.equal([]);
      expect((await audience.filter(context(), ["q-allow", "q-snoozed-too"])).suppressedBy).to.deep.equal({
        snooze: 1,
        quiet_hours: 1,
      });
    });
  });

  it("counts each recipient under the first check that stops them, every key in its order", async () => {
    const running = fromNoon(hours(1));
    const always = quiet("UTC", [{ days: ["wed"], start: "00:00", end: "24:00" }]);
    const videoOff = { modules: [{ module: "video" as const, enabled: false }] };
    const adminsOnly = { modules: [{ module: "video" as const, roleFilter: { only: ["admin"] } }] };
    await settings.changeUserSettings("app_1", "k-user", {
      enabled: false,
      snoozedUntil: running,
      ...videoOff,
    });
    await settings.changeUserSettings("app_1", "k-snooze", { snoozedUntil: running, ...always, ...videoOff });
    await settings.changeUserSettings("app_1", "k-quiet", { ...always, ...videoOff });
    await settings.changeUserSettings("app_1", "k-module", {
      modules: [{ module: "video", enabled: false, roleFilter: { only: ["admin"] } }],
    });
    await settings.changeUserSettings("app_1", "k-role", adminsOnly);
    await settings.changeChannelSettings("app_1", "k-role", "v1", { level: "none" });
    await settings.changeChannelSettings("app_1", "k-channel", "v1", { level: "none" });
    await settings.changeChannelSettings("app_1", "k-mentions", "v1", { level: "mentions" });
    const users = [
      "k-user",
      "k-snooze",
      "k-quiet",
      "k-module",
      "k-role",
      "k-channel",
      "k-mentions",
      "k-none",
    ];

    const videoMessage = { module: "video" as const, channelId: "v1" };
    expect(await audience.filter(context(videoMessage), users)).to.deep.equal({
      allowed: ["k-none"],
      silent: [],
      suppressed: users.slice(0, 7),
      suppressedBy: {
        user: 1,
        snooze: 1,
        quiet_hours: 1,
        module: 1,
        role_filter: 1,
        channel: 1,
        mentions_only: 1,
      },
      locales: {},
    });
  });
});
