import { expect } from "chai";
import { messageEvent, signedHeaders } from "./support/events.js";
import { createApp, startTestGateway, type TestGateway } from "./support/test-gateway.js";

const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;

describe("apps API", () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.close());

  it("creates an app with defaults, returning its secrets once", async () => {
    const app = await createApp(gw, { name: "Acme Chat" });
    expect(app).to.include({
      name: "Acme Chat",
      mode: "direct",
      push_enabled: true,
      require_auth_token: true,
      default_locale: "en",
    });
    expect(app.notification_ttl_seconds).to.equal(3600);
    expect(app.id).to.match(/^app_/);
    expect(app.api_key).to.match(/^pk_/);
    expect(app.server_key).to.match(/^sk_/);
    expect(app.event_secret).to.match(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(app.webhook_secret).to.match(/^whsec_/);
    expect(app.fcm).to.deep.equal({ configured: false });

    const read = await gw.request("GET", `/v1/apps/${app.id}`, { token: gw.adminToken });
    expect(read.status).to.equal(200);
    expect(read.body).to.not.have.any.keys("server_key", "event_secret", "webhook_secret");
    expect(read.body.api_key).to.equal(app.api_key);
  });

  it("keeps an app's default_locale in canonical form, set at creation or by PATCH, and refuses what is no BCP 47 tag", async () => {
    const app = await createApp(gw, { name: "Localized", default_locale: "fr-ca" });
    expect(app.default_locale).to.equal("fr-CA");
    const path = `/v1/apps/${app.id}`;
    const patched = await gw.request("PATCH", path, {
      token: app.server_key,
      body: { default_locale: "es-419" },
    });
    expect(patched.status).to.equal(200);
    expect(patched.body.default_locale).to.equal("es-419");
    const renamed = await gw.request("PATCH", path, { token: app.server_key, body: { name: "Renamed" } });
    expect(renamed.body.default_locale, "kept by a PATCH that does not name it").to.equal("es-419");
    expect((await gw.request("GET", path, { token: gw.adminToken })).body.default_locale).to.equal("es-419");
    for (const [method, target, body] of [
      ["PATCH", path, { default_locale: "not a language" }],
      ["PATCH", path, { default_locale: null }],
      ["POST", "/v1/apps", { name: "Bad", default_locale: "x".repeat(36) }],
    ] as const) {
      const refused = await gw.request(method, target, { token: gw.adminToken, body });
      expect(refused.status, JSON.stringify(body)).to.equal(400);
      expect(refused.headers.get("content-type")).to.match(/^application\/problem\+json/);
      expect(refused.body.errors.map((error: { path: string }) => error.path)).to.deep.equal([
        "default_locale",
      ]);
    }
    expect((await gw.request("GET", path, { token: gw.adminToken })).body.default_locale).to.equal("es-419");
  });

  it("lists apps for the operator only", async () => {
    const app = await createApp(gw);
    const list = await gw.request("GET", "/v1/apps", { token: gw.adminToken });
    expect(list.status).to.equal(200);
    expect(list.body.apps.map((a: { id: string }) => a.id)).to.include(app.id);
    const withServerKey = await gw.request("GET", "/v1/apps", { token: app.server_key });
    expect(withServerKey.status).to.equal(401);
  });

  it("requires a webhook URL in webhook mode", async () => {
    const response = await gw.request("POST", "/v1/apps", {
      token: gw.adminToken,
      body: { name: "W", mode: "webhook" },
    });
    expect(response.status).to.equal(400);
    expect(response.body.errors).to.deep.include({
      path: "webhook.url",
      message: "is required when mode is webhook",
    });
    const ok = await createApp(gw, {
      mode: "webhook",
      webhook: { url: "https://hooks.example.com/pushgate" },
    });
    expect(ok.webhook).to.deep.equal({
      url: "https://hooks.example.com/pushgate",
      timeout_ms: 5000,
      fallback: "drop",
      event_types: null,
      other_events: "direct",
      disable_after_failures: 100,
      disable_after_minutes: 60,
      enabled: true,
      disabled_at: null,
      disabled_reason: null,
    });
  });

  it("keeps provider key material out of every answer", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
      type: "pkcs8",
      format: "pem",
    });
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
      type: "pkcs8",
      format: "pem",
    });
    const app = await createApp(gw, {
      fcm: {
        service_account: {
          type: "service_account",
          project_id: "acme-1",
          client_email: "push@acme-1.iam.gserviceaccount.com",
          private_key: rsa,
        },
      },
      apns: { team_id: "ABCDE12345", key_id: "KEY1234567", private_key: ec, bundle_id: "com.acme.chat" },
    });
    expect(app.fcm).to.deep.equal({ configured: true, project_id: "acme-1" });
    expect(app.apns).to.deep.equal({
      configured: true,
      bundle_id: "com.acme.chat",
      team_id: "ABCDE12345",
      key_id: "KEY1234567",
    });
    const read = await gw.request("GET", `/v1/apps/${app.id}`, { token: app.server_key });
    expect(JSON.stringify(read.body)).to.not.include("PRIVATE KEY");

    const bad = await gw.request("PATCH", `/v1/apps/${app.id}`, {
      token: app.server_key,
      body: {
        apns: {
          team_id: "ABCDE12345",
          key_id: "KEY1234567",
          private_key: "nope",
          bundle_id: "com.acme.chat",
        },
      },
    });
    expect(bad.status).to.equal(400);
    expect(bad.body.errors[0].path).to.equal("apns.private_key");
  });

  it("patches partially, removes a provider block with null, and deletes", async () => {
    const ec = (await import("node:crypto"))
      .generateKeyPairSync("ec", { namedCurve: "P-256" })
      .privateKey.export({ type: "pkcs8", format: "pem" });
    const app = await createApp(gw, {
      apns: { team_id: "ABCDE12345", key_id: "KEY1234567", private_key: ec, bundle_id: "com.acme.chat" },
    });
    const patched = await gw.request("PATCH", `/v1/apps/${app.id}`, {
      token: app.server_key,
      body: { push_enabled: false, notification_ttl_seconds: 60 },
    });
    expect(patched.status).to.equal(200);
    expect(patched.body).to.include({ push_enabled: false, notification_ttl_seconds: 60, name: "Test app" });
    expect(patched.body.apns.configured).to.equal(true);

    const removed = await gw.request("PATCH", `/v1/apps/${app.id}`, {
      token: gw.adminToken,
      body: { apns: null },
    });
    expect(removed.body.apns).to.deep.equal({ configured: false });

    expect((await gw.request("DELETE", `/v1/apps/${app.id}`, { token: app.server_key })).status).to.equal(
      401,
    );
    expect((await gw.request("DELETE", `/v1/apps/${app.id}`, { token: gw.adminToken })).status).to.equal(204);
    expect((await gw.request("GET", `/v1/apps/${app.id}`, { token: gw.adminToken })).status).to.equal(404);
    expect((await gw.request("GET", `/v1/apps/${app.id}`, { token: app.server_key })).status).to.equal(401);
  });

  it("patches a webhook setting without resetting the others, and needs a URL for a new webhook", async () => {
    const app = await createApp(gw, {
      mode: "webhook",
      webhook: {
        url: "https://hooks.example.com/pushgate",
        timeout_ms: 2500,
        fallback: "send",
        event_types: ["message.created"],
        other_events: "drop",
        disable_after_failures: 5,
        disable_after_minutes: 0.5,
      },
    });
    const patch = (body: unknown) =>
      gw.request("PATCH", `/v1/apps/${app.id}`, { token: app.server_key, body });
    const moved = await patch({ webhook: { url: "https://hooks.example.com/moved" } });
    expect(moved.status).to.equal(200);
    expect(moved.body.webhook).to.deep.equal({
      url: "https://hooks.example.com/moved",
      timeout_ms: 2500,
      fallback: "send",
      event_types: ["message.created"],
      other_events: "drop",
      disable_after_failures: 5,
      disable_after_minutes: 0.5,
      enabled: true,
      disabled_at: null,
      disabled_reason: null,
    });
    expect((await patch({ webhook: { event_types: null } })).body.webhook).to.include({
      event_types: null,
      other_events: "drop",
    });
    expect((await patch({ webhook: { fallback: "drop" } })).body.webhook).to.include({
      url: "https://hooks.example.com/moved",
      fallback: "drop",
    });

    const direct = await createApp(gw);
    const noUrl = await gw.request("PATCH", `/v1/apps/${direct.id}`, {
      token: direct.server_key,
      body: { webhook: { timeout_ms: 1000 } },
    });
    expect(noUrl.status).to.equal(400);
    expect(noUrl.body.errors).to.deep.include({ path: "webhook.url", message: "is required" });
  });

  it("never opens one app's data with another app's server key", async () => {
    const mine = await createApp(gw);
    const theirs = await createApp(gw);
    for (const [method, suffix] of [
      ["GET", ""],
      ["PATCH", ""],
      ["POST", "/secrets/server-key/rotate"],
    ] as const) {
      const response = await gw.request(method, `/v1/apps/${theirs.id}${suffix}`, {
        token: mine.server_key,
        body: method === "PATCH" ? { name: "taken" } : undefined,
      });
      expect(response.status, `${method} ${suffix}`).to.equal(404);
      expect(response.headers.get("content-type")).to.match(/^application\/problem\+json/);
    }
    const still = await gw.request("GET", `/v1/apps/${theirs.id}`, { token: theirs.server_key });
    expect(still.body.name).to.equal("Test app");
  });

  it("answers 404 to the operator for every route of an app that does not exist", async () => {
    const missing = "app_does_not_exist";
    for (const [method, suffix, body] of [
      ["GET", "/channels/c1/members", undefined],
      ["PUT", "/channels/c1/members", { member_ids: ["u1"] }],
      ["GET", "/events", undefined],
      ["POST", "/events/replay", { status: "failed" }],
    ] as const) {
      const response = await gw.request(method, `/v1/apps/${missing}${suffix}`, {
        token: gw.adminToken,
        body,
      });
      expect(response.status, `${method} ${suffix}`).to.equal(404);
      expect(response.headers.get("content-type")).to.match(/^application\/problem\+json/);
    }
  });

  it("rotates a server key with an overlap during which both keys work", async () => {
    const app = await createApp(gw);
    const rotated = await gw.request("POST", `/v1/apps/${app.id}/secrets/server-key/rotate`, {
      token: app.server_key,
    });
    expect(rotated.status).to.equal(200);
    expect(rotated.body.secret).to.match(/^sk_/).and.not.equal(app.server_key);
    const overlapHours = (Date.parse(rotated.body.previous_valid_until) - Date.now()) / 3_600_000;
    expect(overlapHours).to.be.within(23.9, 24);
    expect((await gw.request("GET", `/v1/apps/${app.id}`, { token: app.server_key })).status).to.equal(200);
    expect((await gw.request("GET", `/v1/apps/${app.id}`, { token: rotated.body.secret })).status).to.equal(
      200,
    );

    // Names of an object's inherited members are unknown kinds too.
    for (const kind of ["api-key", "constructor", "__proto__", "toString"]) {
      const unknownKind = await gw.request("POST", `/v1/apps/${app.id}/secrets/${kind}/rotate`, {
        token: app.server_key,
      });
      expect(unknownKind.status, kind).to.equal(404);
      expect(unknownKind.headers.get("content-type"), kind).to.match(/^application\/problem\+json/);
    }
  });

  it("keeps rotated-out server key and event secret working for 24 h, and not after", async () => {
    const later = await startTestGateway({ PUSHGATE_ROLE: "api" });
    try {
      const app = await createApp(later);
      const rotate = async (kind: string) => {
        const rotated = await later.request("POST", `/v1/apps/${app.id}/secrets/${kind}/rotate`, {
          token: app.server_key,
        });
        expect(rotated.status).to.equal(200);
        return rotated.body.secret as string;
      };
      const newServerKey = await rotate("server-key");
      const newEventSecret = await rotate("event-secret");
      const readWith = async (serverKey: string) =>
        (await later.request("GET", `/v1/apps/${app.id}`, { token: serverKey })).status;
      const postSignedWith = async (eventSecret: string) => {
        const body = JSON.stringify(messageEvent());
        const headers = signedHeaders(eventSecret, body, later.clock.now());
        return (await later.request("POST", `/v1/apps/${app.id}/events`, { rawBody: body, headers })).status;
      };
      const serverKeys = async () =>
        (await later.gateway.store.apps.activeSecrets(app.id, "server_key", later.clock.now())).map(
          (secret) => secret.value,
        );

      later.clock.advance(dayMs - minuteMs);
      expect(await readWith(app.server_key), "the old server key, a minute before the end").to.equal(200);
      expect(await postSignedWith(app.event_secret), "the old event secret, a minute before").to.equal(202);
      expect(await serverKeys()).to.have.members([app.server_key, newServerKey]);

      later.clock.advance(2 * minuteMs);
      expect(await readWith(app.server_key), "the old server key, a minute after").to.equal(401);
      expect(await postSignedWith(app.event_secret), "the old event secret, a minute after").to.equal(401);
      expect(await readWith(newServerKey)).to.equal(200);
      expect(await postSignedWith(newEventSecret)).to.equal(202);
      expect(await serverKeys()).to.deep.equal([newServerKey]);
    } finally {
      await later.close();
    }
  });
});
