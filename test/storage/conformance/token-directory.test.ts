import { expect } from "chai";
import type { DeviceOwner, DeviceRegistration } from "../../../src/domain/devices/device.js";
import { SqlDeviceRepository } from "../../../src/storage/repositories/devices.js";
import { SqlNotificationSettingsRepository } from "../../../src/storage/repositories/notification-settings.js";
import { SqlTokenDirectory } from "../../../src/storage/repositories/token-directory.js";
import {
  androidPhone,
  expectRegistryRules,
  iPhone,
  registryOf,
  signIn,
  syncUsersSignedIn,
} from "../support/device-registry.js";
import { insertApp } from "../support/rows.js";
import { openTestSqlDatabase, type TestSqlDatabase } from "../support/test-sql-database.js";

describe("storage conformance: token directory", () => {
  let database: TestSqlDatabase;
  let devices: SqlDeviceRepository;
  let tokens: SqlTokenDirectory;
  let appCount = 0;

  before(async () => {
    database = await openTestSqlDatabase();
    devices = new SqlDeviceRepository(database.db);
    tokens = new SqlTokenDirectory(database.db);
  });
  after(() => database.close());

  /** An app of the test's own, so that the registry rows of the app are the test's alone. */
  async function newApp(): Promise<string> {
    const id = `app_tokens_${++appCount}`;
    await insertApp(database.db, id);
    return id;
  }

  async function registered(
    appId: string,
    userId: string,
    registration: DeviceRegistration,
    syncUserIds: string[] = [],
  ): Promise<DeviceOwner> {
    const owner = await signIn(database.db, appId, userId);
    const syncUsers = await syncUsersSignedIn(database.db, appId, syncUserIds);
    expect(await devices.register(owner, registration, syncUsers, new Date())).to.equal(true);
    return owner;
  }

  describe("usersWithTokens", () => {
    it("answers the users with a device of their own or a sync binding, each once, in this app only", async () => {
      const appId = await newApp();
      const otherApp = await newApp();
      await registered(appId, "alice", androidPhone("a-1", "pixel-a"), ["bob"]);
      await registered(appId, "alice", androidPhone("a-2", "pixel-b"));
      await registered(otherApp, "carol", androidPhone("c-1", "pixel-c"));
      const found = await tokens.usersWithTokens(appId, ["alice", "bob", "carol", "nobody", "alice"]);
      expect(found).to.have.members(["alice", "bob"]);
      expect(found).to.have.length(2);
      expect(await tokens.usersWithTokens(appId, [])).to.deep.equal([]);
    });
  });

  describe("tokensOf", () => {
    it("answers nothing for no users", async () => {
      expect(await tokens.tokensOf(await newApp(), [])).to.deep.equal([]);
    });

    it("answers every token of the owners and of the sync-bound users, each under its recipient", async () => {
      const appId = await newApp();
      await registered(appId, "alice", iPhone("alert-1", "pushkit-1", "iphone-1"), ["bob"]);
      await registered(appId, "alice", { ...androidPhone("web-1", "browser"), platform: "web" });
      await registered(appId, "carol", androidPhone("fcm-1", "pixel-1"), ["alice"]);
      const iphone = (await registryOf(database.db, appId)).tokens.find((token) => token.token === "alert-1");
      const found = await tokens.tokensOf(appId, ["alice", "bob", "bob", "nobody"]);
      expect(found).to.have.deep.members([
        {
          userId: "alice",
          provider: "apns",
          token: "alert-1",
          platform: "ios",
          voip: false,
          deviceId: iphone?.deviceId,
          clientDeviceId: "iphone-1",
          locale: null,
        },
        {
          userId: "alice",
          provider: "apns_voip",
          token: "pushkit-1",
          platform: "ios",
          voip: true,
          deviceId: iphone?.deviceId,
          clientDeviceId: "iphone-1",
          locale: null,
        },
        {
          userId: "bob",
          provider: "apns",
          token: "alert-1",
          platform: "ios",
          voip: false,
          deviceId: iphone?.deviceId,
          clientDeviceId: "iphone-1",
          locale: null,
        },
        {
          userId: "bob",
          provider: "apns_voip",
          token: "pushkit-1",
          platform: "ios",
          voip: true,
          deviceId: iphone?.deviceId,
          clientDeviceId: "iphone-1",
          locale: null,
        },
        {
          userId: "alice",
          provider: "gcm",
          token: "web-1",
          platform: "web",
          voip: false,
          deviceId: found.find((token) => token.token === "web-1")?.deviceId,
          clientDeviceId: "browser",
          locale: null,
        },
        {
          userId: "alice",
          provider: "gcm",
          token: "fcm-1",
          platform: "android",
          voip: false,
          deviceId: found.find((token) => token.token === "fcm-1")?.deviceId,
          clientDeviceId: "pixel-1",
          locale: null,
        },
      ]);
      expect(found).to.have.length(6);
    });

    it("gives each token the device's locale, else its recipient's own, else none", async () => {
      const appId = await newApp();
      const settings = new SqlNotificationSettingsRepository(database.db);
      await settings.changeUserSettings(appId, "alice", { locale: "fr" });
      await settings.changeUserSettings(appId, "bob", { locale: "de-CH" });
      await settings.changeUserSettings(appId, "carol", { enabled: false });
      await registered(appId, "alice", androidPhone("alice-es", "pixel-es", "es-MX"));
      await registered(appId, "alice", androidPhone("alice-plain", "pixel-plain"), ["bob", "carol"]);
      await registered(appId, "dave", androidPhone("dave-plain", "pixel-dave"), ["alice"]);
      await registered(appId, "erin", androidPhone("erin-plain", "pixel-erin"));
      await registered(await newApp(), "erin", androidPhone("erin-elsewhere", "pixel-erin-2"));
      await settings.changeUserSettings(appId, "erin", { locale: null });
      const found = await tokens.tokensOf(appId, ["alice", "bob", "carol", "dave", "erin"]);
      const localeOf = (userId: string, token: string) =>
        found.find((recipient) => recipient.userId === userId && recipient.token === token)?.locale;
      expect(localeOf("alice", "alice-es"), "the device's own").to.equal("es-MX");
      expect(localeOf("alice", "alice-plain"), "the owner's").to.equal("fr");
      expect(localeOf("bob", "alice-plain"), "a sync-bound user's own").to.equal("de-CH");
      expect(localeOf("carol", "alice-plain"), "a user row without one").to.equal(null);
      expect(localeOf("alice", "dave-plain"), "a sync-bound user's own, the owner having none").to.equal(
        "fr",
      );
      expect(localeOf("dave", "dave-plain"), "no user row").to.equal(null);
      expect(localeOf("erin", "erin-plain"), "cleared").to.equal(null);
      expect(found).to.have.length(7);
    });

    it("puts the device's locale before a sync-bound user's own", async () => {
      const appId = await newApp();
      const settings = new SqlNotificationSettingsRepository(database.db);
      await settings.changeUserSettings(appId, "bob", { locale: "de" });
      await registered(appId, "alice", iPhone("shared-alert", "shared-voip", "shared-iphone", "it"), ["bob"]);
      const found = await tokens.tokensOf(appId, ["bob"]);
      expect(found.map((token) => [token.userId, token.token, token.locale])).to.have.deep.members([
        ["bob", "shared-alert", "it"],
        ["bob", "shared-voip", "it"],
      ]);
    });

    it("answers a batch of thousands of users in one call", async () => {
      const appId = await newApp();
      const members = Array.from({ length: 20 }, (_, i) => `member-${i}`);
      for (const userId of members) await registered(appId, userId, androidPhone(`fcm-${userId}`));
      const batch = [...members, ...Array.from({ length: 5000 }, (_, i) => `absent-${i}`)];
      const found = await tokens.tokensOf(appId, batch);
      expect(found.map((token) => token.userId).sort()).to.deep.equal([...members].sort());
    });

    it("keeps apps apart", async () => {
      const [appId, otherApp] = [await newApp(), await newApp()];
      await registered(appId, "alice", androidPhone("fcm-1"), ["bob"]);
      expect(await tokens.tokensOf(otherApp, ["alice", "bob"])).to.deep.equal([]);
    });

    it("answers lookups made at once, of several apps and shared users, each with its own tokens", async () => {
      const [appId, otherApp] = [await newApp(), await newApp()];
      await registered(appId, "alice", androidPhone("fcm-alice"), ["bob"]);
      await registered(appId, "carol", iPhone("apns-carol"));
      await registered(otherApp, "alice", androidPhone("fcm-other-alice"));
      const pairs = (found: { userId: string; token: string }[]) =>
        found.map((token) => `${token.userId} ${token.token}`).sort();
      const answers = await Promise.all([
        tokens.tokensOf(appId, ["alice"]),
        tokens.tokensOf(appId, ["bob", "carol", "bob"]),
        tokens.tokensOf(otherApp, ["alice", "carol"]),
        tokens.tokensOf(appId, ["nobody"]),
      ]);
      expect(answers.map(pairs)).to.deep.equal([
        ["alice fcm-alice"],
        ["bob fcm-alice", "carol apns-carol"],
        ["alice fcm-other-alice"],
        [],
      ]);
    });
  });

  describe("removeToken", () => {
    it("removes the token and keeps its device's other one", async () => {
      const appId = await newApp();
      await registered(appId, "alice", iPhone("alert-1", "pushkit-1", "iphone-1"), ["bob"]);
      await tokens.removeToken(appId, "alert-1");
      const found = await tokens.tokensOf(appId, ["alice", "bob"]);
      expect(found.map((token) => `${token.userId} ${token.token}`).sort()).to.deep.equal([
        "alice pushkit-1",
        "bob pushkit-1",
      ]);
    });

    it("deletes the device with its last token, and its sync bindings", async () => {
      const appId = await newApp();
      await registered(appId, "alice", androidPhone("fcm-1", "pixel-1"), ["bob"]);
      await tokens.removeToken(appId, "fcm-1");
      expect(await registryOf(database.db, appId)).to.deep.equal({ devices: [], tokens: [], syncUsers: [] });
    });

    it("changes nothing for a token it does not know or in another app", async () => {
      const [appId, otherApp] = [await newApp(), await newApp()];
      await registered(appId, "alice", androidPhone("fcm-1", "pixel-1"));
      const before = await registryOf(database.db, appId);
      await tokens.removeToken(appId, "unknown");
      await tokens.removeToken(otherApp, "fcm-1");
      expect(await registryOf(database.db, appId)).to.deep.equal(before);
    });

    it("racing removals of a device's two tokens leave no device without a token", async () => {
      const appId = await newApp();
      const phones = Array.from({ length: 20 }, (_, i) => i);
      for (const i of phones) await registered(appId, `user-${i}`, iPhone(`alert-${i}`, `pushkit-${i}`));
      await Promise.all(
        phones.flatMap((i) => [
          tokens.removeToken(appId, `alert-${i}`),
          tokens.removeToken(appId, `pushkit-${i}`),
        ]),
      );
      expect(await registryOf(database.db, appId)).to.deep.equal({ devices: [], tokens: [], syncUsers: [] });
    });

    it("racing a registration of the token's device never loses the registration", async () => {
      const appId = await newApp();
      const phones = Array.from({ length: 20 }, (_, i) => i);
      const owners = await Promise.all(
        phones.map((i) => registered(appId, `user-${i}`, androidPhone(`old-${i}`, `pixel-${i}`))),
      );
      await Promise.all(
        phones.flatMap((i) => [
          tokens.removeToken(appId, `old-${i}`),
          devices.register(owners[i] as DeviceOwner, androidPhone(`new-${i}`, `pixel-${i}`), [], new Date()),
        ]),
      );
      const found = await tokens.tokensOf(
        appId,
        phones.map((i) => `user-${i}`),
      );
      expect(found.map((token) => token.token).sort()).to.deep.equal(phones.map((i) => `new-${i}`).sort());
      await expectRegistryRules(database.db, appId);
    });
  });
});
