import { expect } from "chai";
import { createApp, type TestGateway } from "../support/test-gateway.js";
import { type SignedIn, signIn, type TestApp } from "./client.js";
import { useGatewayWithApp } from "./fixtures.js";

const defaults = {
  enabled: true,
  modules: [
    { module: "chat", enabled: true, role_filter: null },
    { module: "social", enabled: true, role_filter: null },
    { module: "video", enabled: true, role_filter: null },
  ],
  snoozed_until: null,
  quiet_hours: null,
  locale: null,
};
const channelOn = { level: "all", muted_until: null, enabled: true };
const channelOff = { level: "none", muted_until: null, enabled: false };

describe("notification settings API", () => {
  let gw: TestGateway;
  let app: TestApp;
  useGatewayWithApp((started) => ({ gw, app } = started));

  const mine = (session: SignedIn, method: string, body?: unknown, channel?: string) =>
    gw.request(
      method,
      channel
        ? `/v1/users/@me/channels/${encodeURIComponent(channel)}/notification-settings`
        : "/v1/users/@me/notification-settings",
      { token: session.token, body },
    );

  it("reads as all enabled until changed", async () => {
    const session = await signIn(gw, app, "u-defaults");
    const response = await mine(session, "GET");
    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal(defaults);
    expect((await mine(session, "GET", undefined, "c1")).body).to.deep.equal(channelOn);
  });

  it("changes only what a PUT names", async () => {
    const session = await signIn(gw, app, "u-subset");
    const social = await mine(session, "PUT", { modules: [{ module: "social", enabled: false }] });
    expect(social.status).to.equal(200);
    expect(social.body.modules[1]).to.deep.equal({ module: "social", enabled: false, role_filter: null });

    await mine(session, "PUT", { modules: [{ module: "video", role_filter: { only: ["moderator"] } }] });
    await mine(session, "PUT", { enabled: false });
    const read = await mine(session, "GET");
    expect(read.body).to.deep.equal({
      ...defaults,
      enabled: false,
      modules: [
        { module: "chat", enabled: true, role_filter: null },
        { module: "social", enabled: false, role_filter: null },
        { module: "video", enabled: true, role_filter: { only: ["moderator"] } },
      ],
    });

    const cleared = await mine(session, "PUT", {
      enabled: true,
      modules: [{ module: "video", role_filter: { not: ["bot"] } }],
    });
    expect(cleared.body.enabled).to.equal(true);
    expect(cleared.body.modules[2].role_filter).to.deep.equal({ not: ["bot"] });
    const none = await mine(session, "PUT", { modules: [{ module: "video", role_filter: null }] });
    expect(none.body.modules[2]).to.deep.equal({ module: "video", enabled: true, role_filter: null });
  });

  it("keeps one switch per channel", async () => {
    const session = await signIn(gw, app, "u-channels");
    const off = await mine(session, "PUT", { enabled: false }, "team/general");
    expect(off.status).to.equal(200);
    expect(off.body).to.deep.equal(channelOff);
    expect((await mine(session, "GET", undefined, "team/general")).body).to.deep.equal(channelOff);
    expect((await mine(session, "GET", undefined, "random")).body).to.deep.equal(channelOn);
    expect((await mine(session, "GET")).body).to.deep.equal(defaults);
  });

  it("keeps each user's settings apart", async () => {
    const alice = await signIn(gw, app, "alice");
    const bob = await signIn(gw, app, "bob");
    await mine(alice, "PUT", { enabled: false });
    await mine(alice, "PUT", { enabled: false }, "c1");
    expect((await mine(bob, "GET")).body).to.deep.equal(defaults);
    expect((await mine(bob, "GET", undefined, "c1")).body).to.deep.equal(channelOn);
  });

  it("lets the customer server read and write the same resources with its server key", async () => {
    const session = await signIn(gw, app, "u-managed");
    const base = `/v1/apps/${app.id}/users/u-managed`;
    const written = await gw.request("PUT", `${base}/notification-settings`, {
      token: app.server_key,
      body: { modules: [{ module: "chat", enabled: false }] },
    });
    expect(written.status).to.equal(200);
    expect((await mine(session, "GET")).body.modules[0]).to.deep.equal({
      module: "chat",
      enabled: false,
      role_filter: null,
    });

    await mine(session, "PUT", { enabled: false }, "c9");
    const channel = await gw.request("GET", `${base}/channels/c9/notification-settings`, {
      token: app.server_key,
    });
    expect(channel.body).to.deep.equal(channelOff);
    const put = await gw.request("PUT", `${base}/channels/c9/notification-settings`, {
      token: gw.adminToken,
      body: { enabled: true },
    });
    expect(put.body).to.deep.equal(channelOn);
    expect((await mine(session, "GET", undefined, "c9")).body).to.deep.equal(channelOn);
  });

  it("keeps the user's locale in canonical form, for the session and the server key alike, until set to null", async () => {
    const session = await signIn(gw, app, "u-locale");
    const set = await mine(session, "PUT", { locale: "fr-ca" });
    expect(set.status).to.equal(200);
    expect(set.body).to.deep.equal({ ...defaults, locale: "fr-CA" });
    const asServer = `/v1/apps/${app.id}/users/u-locale/notification-settings`;
    expect((await gw.request("GET", asServer, { token: app.server_key })).body.locale).to.equal("fr-CA");
    await mine(session, "PUT", { enabled: false });
    expect((await mine(session, "GET")).body).to.deep.equal({ ...defaults, enabled: false, locale: "fr-CA" });
    const cleared = await gw.request("PUT", asServer, { token: app.server_key, body: { locale: null } });
    expect(cleared.body).to.deep.equal({ ...defaults, enabled: false });
    expect((await mine(session, "GET")).body.locale).to.equal(null);
  });

  it("answers 404 for another app and 401 without the server key", async () => {
    const other = await createApp(gw);
    const path = `/v1/apps/${app.id}/users/u1/notification-settings`;
    expect((await gw.request("GET", path, { token: other.server_key })).status).to.equal(404);
    expect((await gw.request("GET", path)).status).to.equal(401);
    const session = await signIn(gw, app, "u1");
    expect((await gw.request("GET", path, { token: session.token })).status).to.equal(401);
    const unknownApp = await gw.request("PUT", "/v1/apps/app_missing/users/u1/notification-settings", {
      token: gw.adminToken,
      body: { enabled: false },
    });
    expect(unknownApp.status).to.equal(404);
  });

  it("refuses malformed settings with precise 400s", async () => {
    const session = await signIn(gw, app, "u-invalid");
    const cases: [unknown, string | undefined, string, RegExp][] = [
      [{ enabled: "no" }, undefined, "enabled", /true or false/],
      [{ modules: [{ module: "games", enabled: false }] }, undefined, "modules.0.module", /unknown module/],
      [
        { modules: [{ module: "chat", role_filter: { only: ["a"], not: ["b"] } }] },
        undefined,
        "modules.0.role_filter",
        /"only"/,
      ],
      [
        { modules: [{ module: "chat", role_filter: { only: "admin" } }] },
        undefined,
        "modules.0.role_filter.only",
        /./,
      ],
      [
        { modules: [{ module: "chat" }, { module: "chat", enabled: false }] },
        undefined,
        "modules",
        /more than once/,
      ],
      [{ locale: "not a tag!" }, undefined, "locale", /BCP 47/],
      [{ locale: 42 }, undefined, "locale", /./],
      [{ enabled: "yes" }, "c1", "enabled", /true or false/],
      [{ enabled: true, muted: true }, "c1", "(body)", /muted/],
    ];
    for (const [body, channel, path, message] of cases) {
      const response = await mine(session, "PUT", body, channel);
      expect(response.status, JSON.stringify(body)).to.equal(400);
      const error = response.body.errors.find((candidate: { path: string }) => candidate.path === path);
      expect(error, `${JSON.stringify(body)} → ${JSON.stringify(response.body.errors)}`).to.not.equal(
        undefined,
      );
      expect(error.message).to.match(message);
    }
    expect((await mine(session, "GET")).body).to.deep.equal(defaults);
  });
});
