import { expect } from "chai";
import type { TestGateway } from "../support/test-gateway.js";
import { type SignedIn, signIn, type TestApp } from "./client.js";
import { useGatewayWithApp } from "./fixtures.js";

const future = "2099-06-01T08:00:00.000Z";

describe("channel levels, mutes and the list of channels set apart (API)", () => {
  let gw: TestGateway;
  let app: TestApp;
  useGatewayWithApp((started) => ({ gw, app } = started));

  const channelPath = (channel: string) =>
    `/v1/users/@me/channels/${encodeURIComponent(channel)}/notification-settings`;
  const put = (session: SignedIn, channel: string, body: unknown) =>
    gw.request("PUT", channelPath(channel), { token: session.token, body });
  const get = (session: SignedIn, channel: string) =>
    gw.request("GET", channelPath(channel), { token: session.token });

  it("sets a level, then a mute over it, each PUT changing only what it names", async () => {
    const session = await signIn(gw, app, "lv-levels");
    const mentions = await put(session, "design", { level: "mentions" });
    expect(mentions.status).to.equal(200);
    expect(mentions.body).to.deep.equal({ level: "mentions", muted_until: null, enabled: true });

    const muted = await put(session, "design", { muted_until: "2099-06-01T10:00:00+02:00" });
    expect(muted.body, "the time in UTC, the level kept").to.deep.equal({
      level: "mentions",
      muted_until: future,
      enabled: false,
    });
    expect((await get(session, "design")).body).to.deep.equal(muted.body);

    const unmuted = await put(session, "design", { muted_until: null });
    expect(unmuted.body).to.deep.equal({ level: "mentions", muted_until: null, enabled: true });
  });

  it("reads a mute whose time has passed as over, with nothing to clear", async () => {
    const session = await signIn(gw, app, "lv-past");
    const answer = await put(session, "c1", { level: "all", muted_until: "2020-01-01T00:00:00Z" });
    expect(answer.body).to.deep.equal({ level: "all", muted_until: null, enabled: true });
  });

  it("keeps the v1 body: enabled false is level none, enabled true is level all and ends a mute", async () => {
    const session = await signIn(gw, app, "lv-v1");
    expect((await put(session, "c1", { enabled: false })).body).to.deep.equal({
      level: "none",
      muted_until: null,
      enabled: false,
    });
    await put(session, "c1", { muted_until: future });
    expect((await put(session, "c1", { enabled: true })).body).to.deep.equal({
      level: "all",
      muted_until: null,
      enabled: true,
    });
    expect(
      (await put(session, "c1", { enabled: true, muted_until: future })).body,
      "unless it sets one",
    ).to.deep.equal({
      level: "all",
      muted_until: future,
      enabled: false,
    });
    expect((await put(session, "c1", { enabled: false, level: "none" })).status).to.equal(200);
  });

  it("lists the caller's channels set apart from the default, by channel id, and the server sees the same", async () => {
    const session = await signIn(gw, app, "lv-list");
    const listPath = "/v1/users/@me/channels/notification-settings";
    expect((await gw.request("GET", listPath, { token: session.token })).body).to.deep.equal({
      channels: [],
      next_cursor: null,
    });

    await put(session, "random", { level: "none" });
    await put(session, "design", { muted_until: future });
    await put(session, "alerts", { level: "mentions" });
    await put(session, "back", { level: "none" });
    await put(session, "back", { enabled: true });
    await put(session, "old-mute", { muted_until: "2020-01-01T00:00:00Z" });
    const other = await signIn(gw, app, "lv-list-other");
    await put(other, "random", { level: "none" });

    const expected = {
      channels: [
        { channel_id: "alerts", level: "mentions", muted_until: null, enabled: true },
        { channel_id: "design", level: "all", muted_until: future, enabled: false },
        { channel_id: "random", level: "none", muted_until: null, enabled: false },
      ],
      next_cursor: null,
    };
    const mine = await gw.request("GET", listPath, { token: session.token });
    expect(mine.status).to.equal(200);
    expect(mine.body).to.deep.equal(expected);

    const serverPath = `/v1/apps/${app.id}/users/lv-list/channels/notification-settings`;
    expect((await gw.request("GET", serverPath, { token: app.server_key })).body).to.deep.equal(expected);
    expect((await gw.request("GET", serverPath)).status).to.equal(401);
    const wrongMethod = await gw.request("PUT", listPath, { token: session.token, body: {} });
    expect(wrongMethod.status).to.equal(405);

    const first = await gw.request("GET", `${listPath}?limit=2`, { token: session.token });
    expect(first.body.channels.map((entry: { channel_id: string }) => entry.channel_id)).to.deep.equal([
      "alerts",
      "design",
    ]);
    const second = await gw.request("GET", `${listPath}?limit=2&cursor=${first.body.next_cursor}`, {
      token: session.token,
    });
    expect(second.body).to.deep.equal({ channels: [expected.channels[2]], next_cursor: null });
  });

  it("refuses a list page it cannot read: a limit out of bounds, a cursor it did not give, an unknown parameter", async () => {
    const session = await signIn(gw, app, "lv-list-bad");
    const listPath = "/v1/users/@me/channels/notification-settings";
    for (const [query, path] of [
      ["limit=0", "limit"],
      ["limit=501", "limit"],
      ["cursor=not-a-cursor", "cursor"],
      [`cursor=${Buffer.from('["a","b"]').toString("base64url").replace("W", "X")}`, "cursor"],
      ["page=2", ""],
    ]) {
      const answer = await gw.request("GET", `${listPath}?${query}`, { token: session.token });
      expect(answer.status, query).to.equal(400);
      expect(answer.body.type, query).to.equal("urn:pushgate:problem:validation");
      if (path)
        expect(
          answer.body.errors.map((error: { path: string }) => error.path),
          query,
        ).to.include(path);
    }
  });

  it("lets the server set a user's level and mute through its twin", async () => {
    const session = await signIn(gw, app, "lv-server");
    const path = `/v1/apps/${app.id}/users/lv-server/channels/c7/notification-settings`;
    const written = await gw.request("PUT", path, {
      token: app.server_key,
      body: { level: "mentions", muted_until: future },
    });
    expect(written.body).to.deep.equal({ level: "mentions", muted_until: future, enabled: false });
    expect((await get(session, "c7")).body).to.deep.equal(written.body);
  });

  it("refuses bad input with a 400 naming the field, and changes nothing", async () => {
    const session = await signIn(gw, app, "lv-bad");
    await put(session, "c1", { level: "mentions" });
    const cases: [unknown, string, RegExp][] = [
      [{ level: "some" }, "level", /unknown level; use one of all, mentions, none/],
      [{ level: "none", muted_until: "tomorrow" }, "muted_until", /RFC 3339/],
      [{ level: "none", muted_until: "2099-06-01" }, "muted_until", /RFC 3339/],
      [{ level: "none", muted_until: "2099-06-01 08:00:00" }, "muted_until", /RFC 3339/],
      [{ level: "none", muted_until: 4102444800 }, "muted_until", /RFC 3339/],
      [{ level: "mentions", enabled: false }, "enabled", /contradicts level mentions/],
      [{ level: "none", enabled: true }, "enabled", /contradicts level none/],
      [{ level: "none", muted: true }, "(body)", /muted/],
    ];
    for (const [body, path, message] of cases) {
      const response = await put(session, "c1", body);
      const label = JSON.stringify(body);
      expect(response.status, label).to.equal(400);
      expect(response.headers.get("content-type"), label).to.match(/^application\/problem\+json/);
      const error = response.body.errors.find((candidate: { path: string }) => candidate.path === path);
      expect(error, `${label} → ${JSON.stringify(response.body.errors)}`).to.not.equal(undefined);
      expect(error.message, label).to.match(message);
    }
    expect((await get(session, "c1")).body).to.deep.equal({
      level: "mentions",
      muted_until: null,
      enabled: true,
    });
  });
});
