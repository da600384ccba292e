import { expect } from "chai";
import type { NotificationContext } from "../../src/domain/audience/audience.js";
import type { Store } from "../../src/storage/store.js";
import { createApp, type TestGateway } from "../support/test-gateway.js";
import { pushToken, type TestApp } from "./client.js";
import { useGatewayWithApp } from "./fixtures.js";

const userIds = (count: number, prefix = "user") => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

describe("audience filter and token directory (through the store)", () => {
  let gw: TestGateway;
  let store: Store;
  let app: TestApp;
  useGatewayWithApp((started) => {
    ({ gw, app } = started);
    store = gw.gateway.store;
  });

  describe("AudienceFilter", () => {
    const chatIn = (channelId?: string, actorRoles: string[] = []): NotificationContext => ({
      appId: app.id,
      module: "chat",
      channelId,
      actorRoles,
      kind: "message",
      mentionedUserIds: [],
      mentionsEveryone: false,
      quietDelivery: "drop",
      at: new Date(),
    });

    it("passes everyone whose toggles are at their defaults, in one batch beyond SQLite's variable limit", async () => {
      const everyone = userIds(2500, "plain");
      const decision = await store.audience.filter(chatIn("c1"), everyone);
      expect(decision.allowed).to.deep.equal(everyone);
      expect(decision.suppressed).to.deep.equal([]);
    });

    it("suppresses by the user switch, the module switch and the channel switch", async () => {
      const everyone = userIds(1500, "toggled");
      const settings = store.notificationSettings;
      await settings.changeUserSettings(app.id, "toggled-1", { enabled: false });
      await settings.changeUserSettings(app.id, "toggled-2", {
        modules: [{ module: "chat", enabled: false }],
      });
      await settings.changeUserSettings(app.id, "toggled-3", {
        modules: [{ module: "social", enabled: false }],
      });
      await settings.changeChannelSettings(app.id, "toggled-4", "c1", { level: "none" });
      await settings.changeChannelSettings(app.id, "toggled-5", "c2", { level: "none" });
      await settings.changeUserSettings(app.id, "toggled-1400", { enabled: false });

      const inC1 = await store.audience.filter(chatIn("c1"), everyone);
      expect(inC1.suppressed).to.have.members(["toggled-1", "toggled-2", "toggled-4", "toggled-1400"]);
      expect(inC1.allowed).to.have.length(everyone.length - 4);
      expect(inC1.allowed).to.include.members(["toggled-3", "toggled-5"]);

      const noChannel = await store.audience.filter(chatIn(undefined), everyone);
      expect(noChannel.suppressed).to.have.members(["toggled-1", "toggled-2", "toggled-1400"]);

      const social = await store.audience.filter({ ...chatIn("c2"), module: "social" }, everyone);
      expect(social.suppressed).to.have.members(["toggled-1", "toggled-3", "toggled-5", "toggled-1400"]);
    });

    it("applies a module's role filter to the actor's roles", async () => {
      const settings = store.notificationSettings;
      await settings.changeUserSettings(app.id, "only-mods", {
        modules: [{ module: "video", roleFilter: { only: ["moderator", "admin"] } }],
      });
      await settings.changeUserSettings(app.id, "no-bots", {
        modules: [{ module: "video", roleFilter: { not: ["bot"] } }],
      });
      const users = ["only-mods", "no-bots", "anyone"];
      const video = (actorRoles: string[]) =>
        store.audience.filter({ ...chatIn("c1", actorRoles), module: "video" }, users);

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
      const chat = await store.audience.filter(chatIn(undefined), users);
      expect(chat.suppressed).to.deep.equal([]);
    });

    it("keeps apps apart", async () => {
      const other = await createApp(gw);
      await store.notificationSettings.changeUserSettings(other.id, "shared-user", { enabled: false });
      expect((await store.audience.filter(chatIn("c1"), ["shared-user"])).allowed).to.deep.equal([
        "shared-user",
      ]);
    });
  });

  describe("TokenDirectory", () => {
    let sessionCount = 0;
    async function openSession(userId: string): Promise<string> {
      const id = `session_${userId}_${++sessionCount}`;
      const now = new Date();
      await store.sessions.create(
        {
          id,
          appId: app.id,
          userId,
          deviceId: null,
          createdAt: now,
          expiresAt: new Date(now.getTime() + 3_600_000),
        },
        `sess_${userId}_${sessionCount}`,
      );
      return id;
    }

    async function registerDevice(userId: string, syncUserIds: string[] = []) {
      const token = pushToken();
      const voip = pushToken();
      await store.devices.register(
        { appId: app.id, userId, sessionId: await openSession(userId) },
        {
          deviceId: `device-${userId}`,
          platform: "ios",
          token: { provider: "apns", token },
          voip: { provider: "apns_voip", token: voip },
          locale: null,
          variant: null,
        },
        await Promise.all(
          syncUserIds.map(async (syncUserId) => ({
            userId: syncUserId,
            sessionId: await openSession(syncUserId),
          })),
        ),
        new Date(),
      );
      return { token, voip };
    }

    it("returns the tokens of many users, owners and sync-bound accounts, in one batch", async () => {
      const owners = userIds(1200, "owner");
      const registered = new Map<string, { token: string; voip: string }>();
      for (const userId of owners) registered.set(userId, await registerDevice(userId));
      const shared = await registerDevice("family-owner", ["family-kid", "family-partner"]);

      const recipients = await store.tokens.tokensOf(app.id, [...owners, "family-kid", "nobody"]);
      expect(recipients).to.have.length(owners.length * 2 + 2);
      const first = recipients.filter((recipient) => recipient.userId === "owner-0");
      expect(first).to.have.deep.members([
        {
          userId: "owner-0",
          provider: "apns",
          token: registered.get("owner-0")?.token,
          platform: "ios",
          voip: false,
          deviceId: first[0]?.deviceId,
          clientDeviceId: "device-owner-0",
          locale: null,
        },
        {
          userId: "owner-0",
          provider: "apns_voip",
          token: registered.get("owner-0")?.voip,
          platform: "ios",
          voip: true,
          deviceId: first[0]?.deviceId,
          clientDeviceId: "device-owner-0",
          locale: null,
        },
      ]);
      const kid = recipients
        .filter((recipient) => recipient.userId === "family-kid")
        .map((recipient) => recipient.token);
      expect(kid).to.have.members([shared.token, shared.voip]);
      expect(await store.tokens.tokensOf(app.id, [])).to.deep.equal([]);
      const other = await createApp(gw);
      expect(await store.tokens.tokensOf(other.id, owners)).to.deep.equal([]);
    });

    it("removes a dead token and keeps the device's other token", async () => {
      const { token, voip } = await registerDevice("dead-token");
      await store.tokens.removeToken(app.id, token);
      const left = await store.tokens.tokensOf(app.id, ["dead-token"]);
      expect(left.map((recipient) => recipient.token)).to.deep.equal([voip]);
      await store.tokens.removeToken(app.id, voip);
      expect(await store.tokens.tokensOf(app.id, ["dead-token"])).to.deep.equal([]);
      expect(await store.devices.unregister(app.id, { deviceId: "device-dead-token" }, null)).to.equal(false);
    });
  });
});
