import { expect } from "chai";
import type { DeviceOwner, DeviceRegistration } from "../../../src/domain/devices/device.js";
import type { SyncUser } from "../../../src/domain/devices/device-repository.js";
import { SqlDeviceRepository } from "../../../src/storage/repositories/devices.js";
import { SqlSessionRepository } from "../../../src/storage/repositories/sessions.js";
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

describe("storage conformance: devices", () => {
  let database: TestSqlDatabase;
  let devices: SqlDeviceRepository;
  let tokens: SqlTokenDirectory;
  let appCount = 0;
  const now = new Date("2026-11-29T12:00:00.000Z");
  const later = new Date(now.getTime() + 60_000);

  before(async () => {
    database = await openTestSqlDatabase();
    devices = new SqlDeviceRepository(database.db);
    tokens = new SqlTokenDirectory(database.db);
  });
  after(() => database.close());

  /** An app of the test's own, so that the registry rows of the app are the test's alone. */
  async function newApp(): Promise<string> {
    const id = `app_devices_${++appCount}`;
    await insertApp(database.db, id);
    return id;
  }

  const owner = (appId: string, userId: string) => signIn(database.db, appId, userId, { at: now });
  const registry = (appId: string) => registryOf(database.db, appId);

  async function registered(
    who: DeviceOwner,
    registration: DeviceRegistration,
    syncUserIds: string[] = [],
    at = now,
  ): Promise<void> {
    const syncUsers = await syncUsersSignedIn(database.db, who.appId, syncUserIds);
    expect(await devices.register(who, registration, syncUsers, at)).to.equal(true);
  }

  /** The tokens each user receives on, as `user token` pairs. */
  async function receivers(appId: string, userIds: string[]): Promise<string[]> {
    const found = await tokens.tokensOf(appId, userIds);
    return found.map((recipient) => `${recipient.userId} ${recipient.token}`).sort();
  }

  describe("register", () => {
    it("binds a new device to its owner with the registration's token, every value as written", async () => {
      const appId = await newApp();
      const alice = await owner(appId, "alice");
      await registered(alice, androidPhone("fcm-1", "pixel-1"));
      const { devices: rows, tokens: held, syncUsers } = await registry(appId);
      expect(rows).to.have.length(1);
      expect(rows[0]).to.deep.include({
        clientDeviceId: "pixel-1",
        userId: "alice",
        sessionId: alice.sessionId,
        createdAt: now,
        updatedAt: now,
      });
      expect(held).to.deep.equal([
        { token: "fcm-1", deviceId: rows[0]?.id, provider: "gcm", platform: "android", voip: false },
      ]);
      expect(syncUsers).to.deep.equal([]);
    });

    it("files every provider under its platform and slot", async () => {
      const appId = await newApp();
      const alice = await owner(appId, "alice");
      const registrations: DeviceRegistration[] = [
        androidPhone("android-token"),
        { ...androidPhone("web-token"), platform: "web" },
        iPhone("apns-token"),
        { ...iPhone("internal-token"), token: { provider: "apns_internal", token: "internal-token" } },
        { ...iPhone("voip-token"), token: { provider: "apns_voip", token: "voip-token" } },
        { ...iPhone("internal-voip"), token: { provider: "apns_internal_voip", token: "internal-voip" } },
      ];
      for (const registration of registrations) await registered(alice, registration);
      const held = (await registry(appId)).tokens.map(({ deviceId: _, ...token }) => token);
      expect(held).to.deep.equal([
        { token: "android-token", provider: "gcm", platform: "android", voip: false },
        { token: "apns-token", provider: "apns", platform: "ios", voip: false },
        { token: "internal-token", provider: "apns_internal", platform: "ios", voip: false },
        { token: "internal-voip", provider: "apns_internal_voip", platform: "ios", voip: true },
        { token: "voip-token", provider: "apns_voip", platform: "ios", voip: true },
        { token: "web-token", provider: "gcm", platform: "web", voip: false },
      ]);
      await expectRegistryRules(database.db, appId);
    });

    it("puts an APNs token and its VoIP pair on one device, one in each slot", async () => {
      const appId = await newApp();
      await registered(await owner(appId, "alice"), iPhone("alert", "pushkit", "iphone-1"));
      const { devices: rows, tokens: held } = await registry(appId);
      expect(rows).to.have.length(1);
      expect(held.map((token) => [token.token, token.provider, token.voip, token.deviceId])).to.deep.equal([
        ["alert", "apns", false, rows[0]?.id],
        ["pushkit", "apns_voip", true, rows[0]?.id],
      ]);
    });

    it("refuses, writing nothing, through a session that has expired or does not exist", async () => {
      const appId = await newApp();
      const expired = await signIn(database.db, appId, "alice", { at: now, expiresAt: now });
      const bob = await syncUsersSignedIn(database.db, appId, ["bob"]);
      expect(await devices.register(expired, androidPhone("fcm-1", "pixel-1"), bob, now)).to.equal(false);
      const unknown = { appId, userId: "alice", sessionId: "ses_unknown" };
      expect(await devices.register(unknown, androidPhone("fcm-1"), [], now)).to.equal(false);
      expect(await registry(appId)).to.deep.equal({ devices: [], tokens: [], syncUsers: [] });
    });

    it("identifies a device by its client device id: a new token replaces the one in its slot, the other slot stays", async () => {
      const appId = await newApp();
      const alice = await owner(appId, "alice");
      await registered(alice, iPhone("alert-1", "pushkit-1", "iphone-1"));
      await registered(alice, iPhone("alert-2", null, "iphone-1"));
      let { devices: rows, tokens: held } = await registry(appId);
      expect(rows).to.have.length(1);
      expect(held.map((token) => token.token)).to.deep.equal(["alert-2", "pushkit-1"]);

      await registered(alice, iPhone("alert-2", "pushkit-2", "iphone-1"));
      ({ devices: rows, tokens: held } = await registry(appId));
      expect(rows).to.have.length(1);
      expect(held.map((token) => token.token)).to.deep.equal(["alert-2", "pushkit-2"]);
    });

    it("identifies a device by its token without a client device id, one device per token", async () => {
      const appId = await newApp();
      const alice = await owner(appId, "alice");
      await registered(alice, androidPhone("fcm-1"));
      await registered(alice, androidPhone("fcm-1"));
      await registered(alice, androidPhone("fcm-2"));
      const { devices: rows, tokens: held } = await registry(appId);
      expect(rows).to.have.length(2);
      expect(rows.map((row) => row.clientDeviceId)).to.deep.equal([null, null]);
      expect(new Set(held.map((token) => token.deviceId)).size).to.equal(2);
    });

    it("rebinds the device holding the token when a registration names no client device id", async () => {
      const appId = await newApp();
      await registered(await owner(appId, "alice"), androidPhone("fcm-1", "pixel-1"));
      const bob = await owner(appId, "bob");
      await registered(bob, androidPhone("fcm-1"), [], later);
      const { devices: rows } = await registry(appId);
      expect(rows).to.have.length(1);
      expect(rows[0]).to.deep.include({ clientDeviceId: "pixel-1", userId: "bob", sessionId: bob.sessionId });
    });

    it("binds the device to the last user who registered it; the device keeps its creation time", async () => {
      const appId = await newApp();
      await registered(await owner(appId, "alice"), iPhone("alert-1", null, "shared-ipad"));
      const bob = await owner(appId, "bob");
      await registered(bob, iPhone("alert-1", null, "shared-ipad"), [], later);
      expect(await receivers(appId, ["alice", "bob"])).to.deep.equal(["bob alert-1"]);
      const { devices: rows } = await registry(appId);
      expect(rows).to.have.length(1);
      expect(rows[0]).to.deep.include({
        userId: "bob",
        sessionId: bob.sessionId,
        createdAt: now,
        updatedAt: later,
      });
    });

    it("gives a token to one device of the app, deleting the device it leaves without a token", async () => {
      const appId = await newApp();
      await registered(await owner(appId, "alice"), androidPhone("fcm-1", "old-phone"), ["carol"]);
      await registered(await owner(appId, "dave"), iPhone("alert-1", "pushkit-1", "old-iphone"));
      const bob = await owner(appId, "bob");
      await registered(bob, androidPhone("fcm-1", "new-phone"));
      await registered(bob, iPhone("alert-1", null, "new-iphone"));

      const { devices: rows, syncUsers } = await registry(appId);
      expect(rows.map((row) => row.clientDeviceId).sort()).to.deep.equal([
        "new-iphone",
        "new-phone",
        "old-iphone",
      ]);
      expect(syncUsers).to.deep.equal([]);
      expect(await receivers(appId, ["alice", "bob", "carol", "dave"])).to.deep.equal([
        "bob alert-1",
        "bob fcm-1",
        "dave pushkit-1",
      ]);
      await expectRegistryRules(database.db, appId);
    });

    it("moves a token to the slot the registration gives it on the same device", async () => {
      const appId = await newApp();
      const alice = await owner(appId, "alice");
      await registered(alice, iPhone("first", "second", "iphone-1"));
      await registered(alice, iPhone("second", "first", "iphone-1"));
      let held = (await registry(appId)).tokens;
      expect(held.map((token) => [token.token, token.provider, token.voip])).to.deep.equal([
        ["first", "apns_voip", true],
        ["second", "apns", false],
      ]);

      await registered(alice, {
        ...iPhone("second", null, "iphone-1"),
        token: { provider: "apns_voip", token: "second" },
      });
      held = (await registry(appId)).tokens;
      expect(held.map((token) => [token.token, token.provider, token.voip])).to.deep.equal([
        ["second", "apns_voip", true],
      ]);
      await expectRegistryRules(database.db, appId);
    });

    it("takes a new provider or platform for a token it already holds", async () => {
      const appId = await newApp();
      const alice = await owner(appId, "alice");
      await registered(alice, androidPhone("fcm-1", "browser"));
      await registered(alice, { ...androidPhone("fcm-1", "browser"), platform: "web" });
      await registered(alice, { ...iPhone("apns-1", null, "iphone-1") });
      await registered(alice, {
        ...iPhone("apns-1", null, "iphone-1"),
        token: { provider: "apns_internal", token: "apns-1" },
      });
      const held = (await registry(appId)).tokens.map((token) => [
        token.token,
        token.provider,
        token.platform,
      ]);
      expect(held).to.deep.equal([
        ["apns-1", "apns_internal", "ios"],
        ["fcm-1", "gcm", "web"],
      ]);
    });

    it("is idempotent: the same registration twice leaves the same rows", async () => {
      const appId = await newApp();
      const alice = await owner(appId, "alice");
      await registered(alice, iPhone("alert-1", "pushkit-1", "iphone-1"), ["bob"]);
      const before = await registry(appId);
      await registered(alice, iPhone("alert-1", "pushkit-1", "iphone-1"), ["bob"]);
      expect(await registry(appId)).to.deep.equal(before);
    });

    it("binds the sync-bound users, but the owner and without repeats, and replaces them at every registration", async () => {
      const appId = await newApp();
      const alice = await owner(appId, "alice");
      await registered(alice, iPhone("alert-1", "pushkit-1", "iphone-1"), ["bob", "carol", "bob", "alice"]);
      expect((await registry(appId)).syncUsers.map((binding) => binding.userId)).to.deep.equal([
        "bob",
        "carol",
      ]);
      const synced = await tokens.tokensOf(appId, ["bob"]);
      expect(
        synced.map((recipient) => [recipient.userId, recipient.token, recipient.voip]),
      ).to.have.deep.members([
        ["bob", "alert-1", false],
        ["bob", "pushkit-1", true],
      ]);

      await registered(alice, iPhone("alert-1", "pushkit-1", "iphone-1"), ["carol", "dave"]);
      expect((await registry(appId)).syncUsers.map((binding) => binding.userId)).to.deep.equal([
        "carol",
        "dave",
      ]);
      await registered(await owner(appId, "carol"), iPhone("alert-1", null, "iphone-1"));
      expect((await registry(appId)).syncUsers).to.deep.equal([]);
      expect(await receivers(appId, ["alice", "bob", "carol", "dave"])).to.deep.equal([
        "carol alert-1",
        "carol pushkit-1",
      ]);
    });

    it("keeps apps apart: one client device id and one token in two apps are two devices", async () => {
      const [first, second] = [await newApp(), await newApp()];
      await registered(await owner(first, "alice"), androidPhone("fcm-1", "pixel-1"));
      await registered(await owner(second, "bob"), androidPhone("fcm-1", "pixel-1"));
      await registered(await owner(second, "bob"), androidPhone("fcm-2"));
      expect(await receivers(first, ["alice", "bob"])).to.deep.equal(["alice fcm-1"]);
      expect(await receivers(second, ["alice", "bob"])).to.deep.equal(["bob fcm-1", "bob fcm-2"]);
    });
  });

  describe("the device's locale, last registration wins", () => {
    /** How the last registration through `pathDevices` ran: its transactions, serializable or not. */
    let transactions: ("read committed" | "serializable")[] = [];
    let pathDevices: SqlDeviceRepository;

    before(() => {
      const db = database.db;
      pathDevices = new SqlDeviceRepository({
        dialect: db.dialect,
        all: (statement, values) => db.all(statement, values),
        get: (statement, values) => db.get(statement, values),
        run: (statement, values) => db.run(statement, values),
        transaction(work, options) {
          transactions.push(options?.serializable ? "serializable" : "read committed");
          return db.transaction(work, options);
        },
        ping: () => db.ping(),
        close: () => db.close(),
      });
    });

    async function registeredBy(
      expected: ("read committed" | "serializable")[],
      who: DeviceOwner,
      registration: DeviceRegistration,
      syncUserIds: string[] = [],
    ): Promise<void> {
      transactions = [];
      const syncUsers = await syncUsersSignedIn(database.db, who.appId, syncUserIds);
      transactions = [];
      expect(await pathDevices.register(who, registration, syncUsers, now)).to.equal(true);
      expect(transactions, "the path the registration took").to.deep.equal(expected);
    }

    /** The locale of the app's device of that client device id (or holding that token). */
    async function localeOf(appId: string, deviceOrToken: string): Promise<string | null | undefined> {
      const { devices: rows, tokens: held } = await registry(appId);
      const deviceId = held.find((token) => token.token === deviceOrToken)?.deviceId;
      return rows.find((row) => row.clientDeviceId === deviceOrToken || row.id === deviceId)?.locale;
    }

    it("is kept and cleared by a registration with a client device id and no sync users (PostgreSQL: one statement)", async () => {
      const appId = await newApp();
      const alice = await owner(appId, "alice");
      const path = database.db.dialect === "postgres" ? [] : (["read committed"] as const);
      await registeredBy([...path], alice, androidPhone("fcm-1", "pixel-1", "fr-CA"));
      expect(await localeOf(appId, "pixel-1")).to.equal("fr-CA");
      await registeredBy([...path], alice, androidPhone("fcm-1", "pixel-1", "de"));
      expect(await localeOf(appId, "pixel-1")).to.equal("de");
      await registeredBy([...path], alice, androidPhone("fcm-1", "pixel-1"));
      expect(await localeOf(appId, "pixel-1")).to.equal(null);
    });

    it("is kept and cleared by a registration without a client device id, or with sync users (read committed)", async () => {
      const appId = await newApp();
      const alice = await owner(appId, "alice");
      await registeredBy(["read committed"], alice, androidPhone("fcm-1", null, "es"));
      expect(await localeOf(appId, "fcm-1")).to.equal("es");
      await registeredBy(["read committed"], alice, androidPhone("fcm-1"));
      expect(await localeOf(appId, "fcm-1")).to.equal(null);
      await registeredBy(["read committed"], alice, iPhone("apns-1", null, "iphone-1", "ja"), ["bob"]);
      expect(await localeOf(appId, "iphone-1")).to.equal("ja");
      await registeredBy(["read committed"], alice, iPhone("apns-1", null, "iphone-1"), ["bob"]);
      expect(await localeOf(appId, "iphone-1")).to.equal(null);
    });

    it("is kept and cleared by a registration taking its token from another device (serializable)", async () => {
      const appId = await newApp();
      const alice = await owner(appId, "alice");
      const taking = ["read committed", "serializable"] as const;
      await registered(alice, androidPhone("fcm-1", "pixel-old"));
      await registeredBy([...taking], alice, androidPhone("fcm-1", "pixel-new", "pt-BR"), ["bob"]);
      expect(await localeOf(appId, "pixel-new")).to.equal("pt-BR");
      await registeredBy([...taking], alice, androidPhone("fcm-1", "pixel-old"), ["bob"]);
      expect(await localeOf(appId, "pixel-old")).to.equal(null);
      await registered(alice, androidPhone("fcm-2", "pixel-new", "it"));
      await registeredBy([...taking], alice, androidPhone("fcm-2", "pixel-newer"), ["bob"]);
      expect(await localeOf(appId, "pixel-newer")).to.equal(null);
    });
  });

  describe("concurrent registrations", () => {
    const racers = 40;

    async function owners(appId: string): Promise<DeviceOwner[]> {
      return Promise.all(Array.from({ length: racers }, (_, i) => owner(appId, `racer-${i}`)));
    }

    it("leave one owner when many users register one device at once", async () => {
      const appId = await newApp();
      const all = await owners(appId);
      const friends = await syncUsersSignedIn(
        database.db,
        appId,
        all.map((_who, i) => `friend-${i}`),
      );
      const answers = await Promise.all(
        all.map((who, i) =>
          devices.register(who, iPhone("alert-1", null, "contested"), [friends[i] as SyncUser], now),
        ),
      );
      expect(answers.every(Boolean)).to.equal(true);
      const { devices: rows, tokens: held, syncUsers } = await registry(appId);
      expect(rows).to.have.length(1);
      expect(held).to.have.length(1);
      const winnersFriend = rows[0]?.userId.replace("racer-", "friend-");
      expect(syncUsers.map((binding) => binding.userId)).to.deep.equal([winnersFriend]);
      expect(
        await tokens.tokensOf(
          appId,
          all.map((who) => who.userId),
        ),
      ).to.have.length(1);
    });

    it("give a token to one device when many devices register it at once", async () => {
      const appId = await newApp();
      const all = await owners(appId);
      await Promise.all(all.map((who, i) => registered(who, androidPhone("fcm-1", `phone-${i}`))));
      const { devices: rows, tokens: held } = await registry(appId);
      expect(held).to.have.length(1);
      expect(rows).to.have.length(1);
      await expectRegistryRules(database.db, appId);
    });

    it("make one device of one token registered without a client device id at once", async () => {
      const appId = await newApp();
      const all = await owners(appId);
      await Promise.all(all.map((who) => registered(who, iPhone("alert-1", "pushkit-1"))));
      const { devices: rows, tokens: held } = await registry(appId);
      expect(rows).to.have.length(1);
      expect(held.map((token) => token.deviceId)).to.deep.equal([rows[0]?.id, rows[0]?.id]);
    });

    it("of one registration many times at once leave it as once", async () => {
      const appId = await newApp();
      const alice = await owner(appId, "alice");
      await Promise.all(
        Array.from({ length: racers }, () =>
          registered(alice, iPhone("alert-1", "pushkit-1", "iphone-1"), ["bob"]),
        ),
      );
      const { devices: rows, tokens: held, syncUsers } = await registry(appId);
      expect(rows).to.have.length(1);
      expect(held).to.have.length(2);
      expect(syncUsers).to.have.length(1);
    });

    it("of devices swapping tokens keep every rule", async () => {
      const appId = await newApp();
      const all = await owners(appId);
      await Promise.all(
        all.map((who, i) => registered(who, iPhone(`alert-${i}`, `pushkit-${i}`, `iphone-${i}`))),
      );
      // Each device takes its neighbour's alert token while keeping its own VoIP token.
      await Promise.all(
        all.map((who, i) => registered(who, iPhone(`alert-${(i + 1) % racers}`, null, `iphone-${i}`))),
      );
      const { devices: rows, tokens: held } = await registry(appId);
      expect(held).to.have.length(2 * racers);
      expect(rows.length).to.equal(racers);
      await expectRegistryRules(database.db, appId);
    });
  });

  describe("removeUserToken", () => {
    it("removes the owner's token and keeps the device's other one", async () => {
      const appId = await newApp();
      await registered(await owner(appId, "alice"), iPhone("alert-1", "pushkit-1", "iphone-1"));
      await devices.removeUserToken(appId, "alice", { provider: "apns_voip", token: "pushkit-1" });
      expect(await receivers(appId, ["alice"])).to.deep.equal(["alice alert-1"]);
    });

    it("deletes the device with its last token, and its sync bindings", async () => {
      const appId = await newApp();
      await registered(await owner(appId, "alice"), androidPhone("fcm-1", "pixel-1"), ["bob"]);
      await devices.removeUserToken(appId, "alice", { provider: "gcm", token: "fcm-1" });
      expect(await registry(appId)).to.deep.equal({ devices: [], tokens: [], syncUsers: [] });
    });

    it("ends only the binding of a sync-bound user", async () => {
      const appId = await newApp();
      await registered(await owner(appId, "alice"), androidPhone("fcm-1", "pixel-1"), ["bob", "carol"]);
      await devices.removeUserToken(appId, "bob", { provider: "gcm", token: "fcm-1" });
      expect(await receivers(appId, ["alice", "bob", "carol"])).to.deep.equal(["alice fcm-1", "carol fcm-1"]);
    });

    it("changes nothing for a stranger, for another provider or in another app", async () => {
      const [appId, otherApp] = [await newApp(), await newApp()];
      await registered(await owner(appId, "alice"), androidPhone("fcm-1", "pixel-1"), ["bob"]);
      const before = await registry(appId);
      await devices.removeUserToken(appId, "mallory", { provider: "gcm", token: "fcm-1" });
      await devices.removeUserToken(appId, "alice", { provider: "apns", token: "fcm-1" });
      await devices.removeUserToken(otherApp, "alice", { provider: "gcm", token: "fcm-1" });
      expect(await registry(appId)).to.deep.equal(before);
    });
  });

  describe("removeSessionDevices", () => {
    it("removes the devices last registered through the session, and only those", async () => {
      const appId = await newApp();
      const phone = await owner(appId, "alice");
      const laptop = await owner(appId, "alice");
      await registered(phone, androidPhone("fcm-1", "pixel-1"), ["bob"]);
      await registered(phone, iPhone("alert-1", null, "iphone-1"));
      await registered(laptop, iPhone("alert-1", null, "iphone-1"));
      await registered(laptop, { ...androidPhone("web-1", "browser"), platform: "web" });
      await devices.removeSessionDevices(phone.sessionId);
      expect(await receivers(appId, ["alice", "bob"])).to.deep.equal(["alice alert-1", "alice web-1"]);
      expect((await registry(appId)).syncUsers).to.deep.equal([]);
    });

    it("leaves in place, deliverable, a device whose session was purged once expired", async () => {
      const appId = await newApp();
      const alice = await signIn(database.db, appId, "alice", { at: now, expiresAt: later });
      await registered(alice, androidPhone("fcm-1", "pixel-1"));
      await new SqlSessionRepository(database.db).purgeExpired(later);
      expect((await registry(appId)).devices[0]?.sessionId).to.equal(null);
      await devices.removeSessionDevices(alice.sessionId);
      expect(await receivers(appId, ["alice"])).to.deep.equal(["alice fcm-1"]);
    });

    it("go with the session when it ends", async () => {
      const appId = await newApp();
      const alice = await owner(appId, "alice");
      await registered(alice, androidPhone("fcm-1", "pixel-1"), ["bob"]);
      await new SqlSessionRepository(database.db).end(alice.sessionId);
      expect(await registry(appId)).to.deep.equal({ devices: [], tokens: [], syncUsers: [] });
    });
  });

  describe("removeUserDevices", () => {
    it("removes the user's devices and sync bindings in the app, and nothing else", async () => {
      const [appId, otherApp] = [await newApp(), await newApp()];
      await registered(await owner(appId, "alice"), androidPhone("fcm-1", "pixel-1"), ["carol"]);
      await registered(await owner(appId, "alice"), iPhone("alert-1", null, "iphone-1"));
      await registered(await owner(appId, "bob"), androidPhone("fcm-2", "pixel-2"), ["alice", "carol"]);
      await registered(await owner(otherApp, "alice"), androidPhone("fcm-1", "pixel-1"));
      await devices.removeUserDevices(appId, "alice");
      expect(await receivers(appId, ["alice", "bob", "carol"])).to.deep.equal(["bob fcm-2", "carol fcm-2"]);
      expect(await receivers(otherApp, ["alice"])).to.deep.equal(["alice fcm-1"]);
    });
  });

  describe("unregister", () => {
    it("removes a device named by its client device id, once", async () => {
      const appId = await newApp();
      await registered(await owner(appId, "alice"), iPhone("alert-1", "pushkit-1", "iphone-1"), ["bob"]);
      expect(await devices.unregister(appId, { deviceId: "iphone-1" }, null)).to.equal(true);
      expect(await registry(appId)).to.deep.equal({ devices: [], tokens: [], syncUsers: [] });
      expect(await devices.unregister(appId, { deviceId: "iphone-1" }, null)).to.equal(false);
    });

    it("removes a device named by one of its tokens, with the token's provider", async () => {
      const appId = await newApp();
      await registered(await owner(appId, "alice"), iPhone("alert-1", "pushkit-1"));
      expect(await devices.unregister(appId, { provider: "apns", token: "pushkit-1" }, null)).to.equal(false);
      expect(await devices.unregister(appId, { provider: "apns_voip", token: "pushkit-1" }, null)).to.equal(
        true,
      );
      expect(await registry(appId)).to.deep.equal({ devices: [], tokens: [], syncUsers: [] });
    });

    it("with a user: removes the device of its owner, only the binding of a sync-bound user, nothing of a stranger", async () => {
      const appId = await newApp();
      await registered(await owner(appId, "alice"), androidPhone("fcm-1", "pixel-1"), ["bob"]);
      await registered(await owner(appId, "alice"), androidPhone("fcm-2", "pixel-2"));
      expect(await devices.unregister(appId, { deviceId: "pixel-1" }, "mallory")).to.equal(false);
      expect(await devices.unregister(appId, { provider: "gcm", token: "fcm-1" }, "bob")).to.equal(true);
      expect(await receivers(appId, ["alice", "bob"])).to.deep.equal(["alice fcm-1", "alice fcm-2"]);
      expect(await devices.unregister(appId, { deviceId: "pixel-1" }, "bob")).to.equal(false);
      expect(await devices.unregister(appId, { deviceId: "pixel-2" }, "alice")).to.equal(true);
      expect(await devices.unregister(appId, { provider: "gcm", token: "fcm-1" }, "alice")).to.equal(true);
      expect(await registry(appId)).to.deep.equal({ devices: [], tokens: [], syncUsers: [] });
    });

    it("never reaches another app's devices", async () => {
      const [appId, otherApp] = [await newApp(), await newApp()];
      await registered(await owner(appId, "alice"), androidPhone("fcm-1", "pixel-1"));
      expect(await devices.unregister(otherApp, { deviceId: "pixel-1" }, null)).to.equal(false);
      expect(await devices.unregister(otherApp, { provider: "gcm", token: "fcm-1" }, "alice")).to.equal(
        false,
      );
      expect(await receivers(appId, ["alice"])).to.deep.equal(["alice fcm-1"]);
    });
  });
});
