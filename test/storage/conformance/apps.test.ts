import { randomBytes } from "node:crypto";
import { expect } from "chai";
import type { App, AppSecrets } from "../../../src/domain/apps/app.js";
import { SecretBox } from "../../../src/security/secret-box.js";
import { SqlAppRepository } from "../../../src/storage/repositories/apps.js";
import { testWebhook } from "../../pipeline/fakes/app.js";
import { insertApp } from "../support/rows.js";
import { openTestSqlDatabase, type TestSqlDatabase } from "../support/test-sql-database.js";

const createdAt = new Date("2026-11-29T12:00:00.123Z");
const later = (ms: number) => new Date(createdAt.getTime() + ms);

function appNamed(id: string, overrides: Partial<App> = {}): App {
  return {
    id,
    name: `App ${id}`,
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
    apiKey: `key_${id}`,
    webhook: null,
    statusCallback: null,
    fcm: null,
    apns: null,
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  };
}

function secretsOf(id: string): AppSecrets {
  return { serverKey: `sk_${id}`, eventSecret: `whsec_event_${id}`, webhookSecret: `whsec_hook_${id}` };
}

const fcm = {
  type: "service_account" as const,
  project_id: "pushgate-test",
  client_email: "push@pushgate-test.iam.example",
  private_key: "-----BEGIN PRIVATE KEY-----\nfcm\n-----END PRIVATE KEY-----\n",
};

const apns = {
  teamId: "TEAM123456",
  keyId: "KEY1234567",
  bundleId: "com.example.chat",
  privateKey: "-----BEGIN PRIVATE KEY-----\napns\n-----END PRIVATE KEY-----\n",
};

describe("storage conformance: apps", () => {
  let database: TestSqlDatabase;
  let apps: SqlAppRepository;

  before(async () => {
    database = await openTestSqlDatabase();
    apps = new SqlAppRepository(database.db, new SecretBox(randomBytes(32)));
  });
  after(() => database.close());

  async function create(app: App): Promise<App> {
    await apps.create(app, secretsOf(app.id));
    return app;
  }

  describe("apps", () => {
    it("reads an app back by id, by API key and in the list, every value as it was written", async () => {
      const full = await create(
        appNamed("app_full", {
          mode: "webhook",
          pushEnabled: false,
          requireAuthToken: true,
          notificationTtlSeconds: 60,
          defaultLocale: "pt-BR",
          webhook: testWebhook({
            url: "https://hooks.example/pushgate",
            timeoutMs: 2500,
            fallback: "send",
            eventTypes: ["message.created", "call.ringing"],
            otherEvents: "drop",
            disableAfterFailures: 7,
            disableAfterMinutes: 0.5,
            disabled: { at: later(3), reason: "7 calls in a row failed", by: "failures" },
          }),
          fcm,
          apns,
          createdAt: later(1),
          updatedAt: later(2),
        }),
      );
      const bare = await create(appNamed("app_bare"));

      expect(await apps.findById("app_full")).to.deep.equal(full);
      expect(await apps.findByApiKey("key_app_full")).to.deep.equal(full);
      expect(await apps.findById("app_bare")).to.deep.equal(bare);
      expect(await apps.findById("app_missing")).to.equal(null);
      expect(await apps.findByApiKey("key_missing")).to.equal(null);
      expect((await apps.list()).map((app) => app.id)).to.deep.equal(["app_bare", "app_full"]);
    });

    it("reads English as the default locale of an app row written without one", async () => {
      await insertApp(database.db, "app_before_locales");
      expect((await apps.findById("app_before_locales"))?.defaultLocale).to.equal("en");
    });

    it("creates nothing when the app's secrets cannot be stored", async () => {
      await create(appNamed("app_taken"));
      const clash = appNamed("app_clash");
      const error = await apps.create(clash, { ...secretsOf("app_clash"), serverKey: "sk_app_taken" }).then(
        () => null,
        (rejection: unknown) => rejection,
      );
      expect(error, "a server key is unique").to.be.instanceOf(Error);
      expect(await apps.findById("app_clash")).to.equal(null);
      expect(await apps.findByApiKey("key_app_clash")).to.equal(null);
    });

    it("updates only what a change names, clears a block set to null, and returns the app", async () => {
      const original = await create(
        appNamed("app_update", {
          webhook: testWebhook({ url: "https://hooks.example/a" }),
          fcm,
        }),
      );

      const renamed = await apps.update("app_update", { name: "Renamed", updatedAt: later(10) });
      expect(renamed).to.deep.equal({ ...original, name: "Renamed", updatedAt: later(10) });

      const changed = await apps.update("app_update", {
        pushEnabled: false,
        requireAuthToken: true,
        notificationTtlSeconds: 0,
        webhook: null,
        fcm: null,
        apns,
        updatedAt: later(20),
      });
      const expected: App = {
        ...original,
        name: "Renamed",
        pushEnabled: false,
        requireAuthToken: true,
        notificationTtlSeconds: 0,
        webhook: null,
        fcm: null,
        apns,
        updatedAt: later(20),
      };
      expect(changed).to.deep.equal(expected);
      expect(await apps.findById("app_update")).to.deep.equal(expected);

      const webhook = testWebhook({ url: "https://hooks.example/b", timeoutMs: 3000, fallback: "send" });
      const back = await apps.update("app_update", { mode: "webhook", webhook, updatedAt: later(30) });
      expect(back).to.deep.equal({ ...expected, mode: "webhook", webhook, updatedAt: later(30) });

      const french = await apps.update("app_update", { defaultLocale: "fr", updatedAt: later(35) });
      expect(french).to.deep.equal({ ...back, defaultLocale: "fr", updatedAt: later(35) });
      expect(await apps.findById("app_update")).to.deep.equal(french);

      expect(await apps.update("app_missing", { name: "x", updatedAt: later(40) })).to.equal(null);
    });

    it("keeps both of two concurrent updates of different settings", async () => {
      await create(appNamed("app_concurrent"));
      await Promise.all([
        apps.update("app_concurrent", { name: "Concurrent", updatedAt: later(1) }),
        apps.update("app_concurrent", { pushEnabled: false, updatedAt: later(1) }),
        apps.update("app_concurrent", { apns, updatedAt: later(1) }),
        apps.update("app_concurrent", { notificationTtlSeconds: 5, updatedAt: later(1) }),
      ]);
      expect(await apps.findById("app_concurrent")).to.include({
        name: "Concurrent",
        pushEnabled: false,
        notificationTtlSeconds: 5,
      });
      expect((await apps.findById("app_concurrent"))?.apns).to.deep.equal(apns);
    });

    it("turns a webhook off once however many ask at once, and back on only when its failures did", async () => {
      const hooked = await create(appNamed("app_breaker", { mode: "webhook", webhook: testWebhook() }));
      const off = { at: later(5), reason: "100 calls in a row failed", by: "failures" as const };
      const answers = await Promise.all([1, 2, 3].map(() => apps.disableWebhook("app_breaker", off)));
      const expectedOff = { ...hooked, webhook: { ...testWebhook(), disabled: off }, updatedAt: later(5) };
      expect(answers.filter((answer) => answer !== null)).to.deep.equal([expectedOff]);
      expect(await apps.findById("app_breaker")).to.deep.equal(expectedOff);

      const settings = testWebhook({ timeoutMs: 2000 });
      const changed = await apps.update("app_breaker", { webhook: settings, updatedAt: later(6) });
      expect(changed?.webhook?.disabled, "a change of its settings leaves it off").to.deep.equal(off);

      const back = await apps.enableWebhookAfterFailures("app_breaker", later(7));
      expect(back?.webhook).to.deep.equal({ ...settings, disabled: null });
      expect(await apps.enableWebhookAfterFailures("app_breaker", later(8)), "already on").to.equal(null);

      const byOperator = { at: later(9), reason: "turned off by an operator", by: "operator" as const };
      await apps.update("app_breaker", { webhookDisabled: byOperator, updatedAt: later(9) });
      expect(
        await apps.enableWebhookAfterFailures("app_breaker", later(10)),
        "a probe never undoes it",
      ).to.equal(null);
      expect((await apps.findById("app_breaker"))?.webhook?.disabled).to.deep.equal(byOperator);

      await create(appNamed("app_no_hook"));
      expect(await apps.disableWebhook("app_no_hook", off), "no webhook to turn off").to.equal(null);
    });

    it("deletes an app with its secrets, says whether there was one, and keeps the others", async () => {
      await create(appNamed("app_doomed"));
      await create(appNamed("app_kept"));
      expect(await apps.delete("app_doomed")).to.equal(true);
      expect(await apps.findById("app_doomed")).to.equal(null);
      expect(await apps.findIdByServerKey("sk_app_doomed", createdAt)).to.equal(null);
      expect(await apps.activeSecrets("app_doomed", "event_secret", createdAt)).to.deep.equal([]);
      expect(await apps.delete("app_doomed")).to.equal(false);
      expect(await apps.findById("app_kept")).to.not.equal(null);
      expect(await apps.findIdByServerKey("sk_app_kept", createdAt)).to.equal("app_kept");
    });
  });

  describe("secrets", () => {
    it("creates an app's three secrets, each current under its own kind and app only", async () => {
      await create(appNamed("app_secrets"));
      await create(appNamed("app_neighbour"));
      const current = (value: string) => [{ value, expiresAt: null }];
      expect(await apps.activeSecrets("app_secrets", "server_key", createdAt)).to.deep.equal(
        current("sk_app_secrets"),
      );
      expect(await apps.activeSecrets("app_secrets", "event_secret", createdAt)).to.deep.equal(
        current("whsec_event_app_secrets"),
      );
      expect(await apps.activeSecrets("app_secrets", "webhook_secret", createdAt)).to.deep.equal(
        current("whsec_hook_app_secrets"),
      );
      expect(await apps.findIdByServerKey("sk_app_secrets", createdAt)).to.equal("app_secrets");
      expect(await apps.findIdByServerKey("sk_app_neighbour", createdAt)).to.equal("app_neighbour");
      expect(await apps.findIdByServerKey("whsec_event_app_secrets", createdAt), "not a server key").to.equal(
        null,
      );
      expect(await apps.findIdByServerKey("sk_unknown", createdAt)).to.equal(null);
    });

    it("rotates a secret: the new one is current, the previous one works until its overlap ends", async () => {
      await create(appNamed("app_rotate"));
      const overlapEnd = new Date(Date.now() + 3_600_000);
      await apps.rotateSecret("app_rotate", "server_key", "sk_rotated", overlapEnd);

      const during = new Date(overlapEnd.getTime() - 1);
      expect(await apps.activeSecrets("app_rotate", "server_key", during)).to.deep.equal([
        { value: "sk_rotated", expiresAt: null },
        { value: "sk_app_rotate", expiresAt: overlapEnd },
      ]);
      expect(await apps.findIdByServerKey("sk_app_rotate", during)).to.equal("app_rotate");
      expect(await apps.findIdByServerKey("sk_rotated", during)).to.equal("app_rotate");

      expect(await apps.activeSecrets("app_rotate", "server_key", overlapEnd)).to.deep.equal([
        { value: "sk_rotated", expiresAt: null },
      ]);
      expect(await apps.findIdByServerKey("sk_app_rotate", overlapEnd)).to.equal(null);
      expect(
        await apps.activeSecrets("app_rotate", "event_secret", overlapEnd),
        "other kinds stay",
      ).to.have.length(1);
    });

    it("keeps exactly one current secret when rotations run at once", async () => {
      await create(appNamed("app_race"));
      const overlapEnd = new Date(Date.now() + 3_600_000);
      const rotated = Array.from({ length: 8 }, (_, i) => `whsec_race_${i}`);
      await Promise.all(
        rotated.map((secret) => apps.rotateSecret("app_race", "event_secret", secret, overlapEnd)),
      );

      const active = await apps.activeSecrets("app_race", "event_secret", createdAt);
      expect(active.map((secret) => secret.value)).to.have.members([...rotated, "whsec_event_app_race"]);
      expect(active.filter((secret) => secret.expiresAt === null)).to.have.length(1);
      expect(active[0]?.expiresAt, "the current one is the newest").to.equal(null);
    });

    it("purges the expired secrets only, of every app, and says how many", async () => {
      await create(appNamed("app_purge_a"));
      await create(appNamed("app_purge_b"));
      const soon = new Date(Date.now() + 60_000);
      const afterwards = new Date(Date.now() + 7_200_000);
      await apps.rotateSecret("app_purge_a", "webhook_secret", "whsec_a2", soon);
      await apps.rotateSecret("app_purge_b", "webhook_secret", "whsec_b2", soon);
      await apps.rotateSecret("app_purge_b", "server_key", "sk_b2", afterwards);

      expect(await apps.purgeExpiredSecrets(new Date(soon.getTime() - 1))).to.equal(0);
      expect(await apps.purgeExpiredSecrets(soon)).to.equal(2);
      expect(await apps.activeSecrets("app_purge_a", "webhook_secret", createdAt)).to.deep.equal([
        { value: "whsec_a2", expiresAt: null },
      ]);
      expect(await apps.activeSecrets("app_purge_b", "server_key", createdAt)).to.deep.equal([
        { value: "sk_b2", expiresAt: null },
        { value: "sk_app_purge_b", expiresAt: afterwards },
      ]);
    });
  });
});
