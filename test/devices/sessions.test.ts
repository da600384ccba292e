import { expect } from "chai";
import { SignJWT } from "jose";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";
import {
  authToken,
  createSession,
  devicesOf,
  pushToken,
  registered,
  signIn,
  type TestApp,
} from "./client.js";
import { useGatewayWithApp } from "./fixtures.js";

const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;

describe("sessions API", () => {
  let gw: TestGateway;
  let app: TestApp;
  useGatewayWithApp((started) => ({ gw, app } = started));

  it("opens a 30-day session for a user vouched for by the customer server's JWT", async () => {
    const response = await createSession(gw, app, {
      user_id: "u1",
      auth_token: await authToken(app.server_key, "u1"),
      device_id: "ios-5F2A",
    });
    expect(response.status).to.equal(201);
    expect(response.body).to.have.all.keys("session_token", "session_id", "user_id", "expires_at");
    expect(response.body.session_token).to.match(/^sess_/);
    expect(response.body.user_id).to.equal("u1");
    const days = (Date.parse(response.body.expires_at) - Date.now()) / 86_400_000;
    expect(days).to.be.within(29.99, 30);
    const list = await gw.request("GET", "/v1/users/@me/devices", { token: response.body.session_token });
    expect(list.status).to.equal(200);
  });

  it("sets the user's locale, in canonical form, when a sign-in names one, and keeps it when the next does not", async () => {
    const body = async (extra: Record<string, unknown>) => ({
      user_id: "u-locale",
      auth_token: await authToken(app.server_key, "u-locale"),
      ...extra,
    });
    const first = await createSession(gw, app, await body({ locale: "zh-hant-tw" }));
    expect(first.status).to.equal(201);
    const settingsOf = async (sessionToken: string) =>
      (await gw.request("GET", "/v1/users/@me/notification-settings", { token: sessionToken })).body;
    expect((await settingsOf(first.body.session_token)).locale).to.equal("zh-Hant-TW");
    const second = await createSession(gw, app, await body({}));
    expect((await settingsOf(second.body.session_token)).locale).to.equal("zh-Hant-TW");
    const refused = await createSession(gw, app, await body({ locale: "??" }));
    expect(refused.status).to.equal(400);
    expect(refused.headers.get("content-type")).to.match(/^application\/problem\+json/);
    expect(refused.body.errors.map((error: { path: string }) => error.path)).to.deep.equal(["locale"]);
  });

  it("refuses a bad auth_token with a 401 saying why", async () => {
    const other = await createApp(gw);
    const cases: [string, Promise<string> | string, string][] = [
      ["wrong key", authToken(other.server_key, "u1"), "auth_token is not signed with this app's server key"],
      ["other user", authToken(app.server_key, "u2"), "auth_token's sub claim does not match user_id"],
      [
        "expired",
        authToken(app.server_key, "u1", Math.floor(Date.now() / 1000) - 10),
        "auth_token has expired",
      ],
      ["not a JWT", "not-a-jwt", "auth_token is not a valid JWT"],
      [
        "no exp",
        new SignJWT({})
          .setProtectedHeader({ alg: "HS256" })
          .setSubject("u1")
          .sign(new TextEncoder().encode(app.server_key)),
        "auth_token must have an exp claim",
      ],
      [
        "exp a century ahead",
        authToken(app.server_key, "u1", "100y"),
        "auth_token's exp claim is too far ahead: a sign-in token may live 900 s at most",
      ],
      [
        "issued in the future",
        new SignJWT({})
          .setProtectedHeader({ alg: "HS256" })
          .setSubject("u1")
          .setIssuedAt(Math.floor(Date.now() / 1000) + 3600)
          .setExpirationTime(Math.floor(Date.now() / 1000) + 3900)
          .sign(new TextEncoder().encode(app.server_key)),
        "auth_token's iat claim is in the future",
      ],
      [
        "HS512",
        new SignJWT({})
          .setProtectedHeader({ alg: "HS512" })
          .setSubject("u1")
          .sign(new TextEncoder().encode(app.server_key)),
        "auth_token must be signed with HS256",
      ],
    ];
    for (const [label, token, detail] of cases) {
      const response = await createSession(gw, app, { user_id: "u1", auth_token: await token });
      expect(response.status, label).to.equal(401);
      expect(response.headers.get("content-type")).to.match(/^application\/problem\+json/);
      expect(response.body.detail, label).to.equal(detail);
    }
  });

  it("requires an auth_token unless the app is a development app", async () => {
    const missing = await createSession(gw, app, { user_id: "u1" });
    expect(missing.status).to.equal(401);
    expect(missing.body.detail).to.match(/requires an auth_token/);

    const development = await createApp(gw, { require_auth_token: false });
    const open = await createSession(gw, development, { user_id: "u1" });
    expect(open.status).to.equal(201);
  });

  it("accepts tokens signed with the previous server key during a rotation", async () => {
    const rotating = await createApp(gw);
    const rotated = await gw.request("POST", `/v1/apps/${rotating.id}/secrets/server-key/rotate`, {
      token: rotating.server_key,
    });
    for (const key of [rotating.server_key, rotated.body.secret]) {
      const response = await createSession(gw, rotating, {
        user_id: "u1",
        auth_token: await authToken(key, "u1"),
      });
      expect(response.status).to.equal(201);
    }
  });

  it("refuses missing or unknown API keys and malformed bodies", async () => {
    const noKey = await gw.request("POST", "/v1/sessions", { body: { user_id: "u1" } });
    expect(noKey.status).to.equal(401);
    expect(noKey.body.detail).to.match(/X-Api-Key/);
    const unknownKey = await gw.request("POST", "/v1/sessions", {
      headers: { "x-api-key": "pk_nope" },
      body: { user_id: "u1" },
    });
    expect(unknownKey.status).to.equal(401);

    const noUser = await createSession(gw, app, { auth_token: "x" });
    expect(noUser.status).to.equal(400);
    expect(noUser.body.errors.map((error: { path: string }) => error.path)).to.deep.equal(["user_id"]);
    const extra = await createSession(gw, app, { user_id: "u1", password: "x" });
    expect(extra.status).to.equal(400);
    expect(extra.body.errors[0].message).to.match(/password/);
  });

  it("takes only session tokens on session routes", async () => {
    for (const token of [app.server_key, gw.adminToken, "sess_unknown"]) {
      const response = await gw.request("GET", "/v1/users/@me/devices", { token });
      expect(response.status).to.equal(401);
    }
    const apiKeyOnly = await gw.request("GET", "/v1/users/@me/devices", {
      headers: { "x-api-key": app.api_key },
    });
    expect(apiKeyOnly.status).to.equal(401);
  });

  it("signs out, removing the tokens registered through that session only", async () => {
    const phone = await signIn(gw, app, "u-out");
    const tablet = await signIn(gw, app, "u-out");
    const phoneToken = pushToken();
    const tabletToken = pushToken();
    await registered(gw, phone, { provider: "gcm", token: phoneToken });
    await registered(gw, tablet, { provider: "gcm", token: tabletToken });

    const out = await gw.request("DELETE", "/v1/sessions/current", { token: phone.token });
    expect(out.status).to.equal(204);
    expect((await gw.request("GET", "/v1/users/@me/devices", { token: phone.token })).status).to.equal(401);
    expect((await devicesOf(gw, tablet)).android).to.deep.equal([tabletToken]);
    const left = await gw.gateway.store.tokens.tokensOf(app.id, ["u-out"]);
    expect(left.map((token) => token.token)).to.deep.equal([tabletToken]);
  });

  it("ends a session after its 30 days, and purges it", async () => {
    const later = await startTestGateway({ PUSHGATE_ROLE: "api" });
    try {
      const laterApp = await createApp(later);
      const session = await signIn(later, laterApp, "u1");
      const token = pushToken();
      later.clock.advance(30 * dayMs - minuteMs);
      await registered(later, session, { provider: "gcm", token });
      expect((await devicesOf(later, session)).android, "a minute before the end").to.deep.equal([token]);

      later.clock.advance(2 * minuteMs);
      const expired = await later.request("GET", "/v1/users/@me/devices", { token: session.token });
      expect(expired.status).to.equal(401);
      expect(expired.body.detail).to.match(/expired/);
      const store = later.gateway.store;
      expect(await store.sessions.purgeExpired(later.clock.now())).to.equal(1);
      expect(
        await store.sessions.findByToken(session.token, new Date()),
        "purged, not only expired",
      ).to.equal(null);
    } finally {
      await later.close();
    }
  });
});
