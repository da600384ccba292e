import { expect } from "chai";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";
import {
  allTokens,
  devicesOf,
  pushToken,
  registered,
  registeredWithVoip,
  signIn,
  type TestApp,
} from "./client.js";
import { useGatewayWithApp } from "./fixtures.js";

describe("device unregistration", () => {
  let gw: TestGateway;
  let app: TestApp;
  useGatewayWithApp((started) => ({ gw, app } = started));

  const unregisterOwn = (token: string, body?: unknown) =>
    gw.request("DELETE", "/v1/users/@me/devices", { token, body });
  const unregisterByServer = (body: unknown, apiKey = app.api_key) =>
    gw.request("POST", "/v1/devices/unregister", { headers: { "x-api-key": apiKey }, body });

  it("removes one token, and only when it is the caller's", async () => {
    const owner = await signIn(gw, app, "u-one");
    const stranger = await signIn(gw, app, "u-stranger");
    const kept = pushToken();
    const removed = pushToken();
    await registered(gw, owner, { provider: "apns", token: kept });
    await registered(gw, owner, { provider: "fcm", token: removed });

    expect((await unregisterOwn(stranger.token, { provider: "gcm", token: removed })).status).to.equal(204);
    expect((await devicesOf(gw, owner)).android).to.deep.equal([removed]);
    expect((await unregisterOwn(owner.token, { provider: "fcm", token: removed })).status).to.equal(204);
    expect(await devicesOf(gw, owner)).to.deep.equal({ ios: [kept], android: [], web: [], voip: [] });
  });

  it("removes one token of a device and keeps its other one", async () => {
    const session = await signIn(gw, app, "u-pair");
    const { alert, voip } = await registeredWithVoip(gw, session);
    expect((await unregisterOwn(session.token, { provider: "apns_voip", token: voip })).status).to.equal(204);
    expect(await devicesOf(gw, session)).to.deep.equal({ ios: [alert], android: [], web: [], voip: [] });
  });

  it("with no body or {all: false}, removes the tokens registered through this session", async () => {
    for (const body of [undefined, { all: false }]) {
      const userId = `u-session-${body ? "false" : "none"}`;
      const phone = await signIn(gw, app, userId);
      const laptop = await signIn(gw, app, userId);
      const phoneToken = pushToken();
      const laptopToken = pushToken();
      await registered(gw, phone, { provider: "gcm", token: phoneToken });
      await registered(gw, laptop, { provider: "gcm", token: laptopToken, platform: "web" });

      expect((await unregisterOwn(phone.token, body)).status).to.equal(204);
      expect(await devicesOf(gw, phone)).to.deep.equal({
        ios: [],
        android: [],
        web: [laptopToken],
        voip: [],
      });
    }
  });

  it("with {all: true}, removes every token of the caller and no one else's", async () => {
    const phone = await signIn(gw, app, "u-all");
    const laptop = await signIn(gw, app, "u-all");
    const neighbour = await signIn(gw, app, "u-neighbour");
    await registered(gw, phone, { provider: "gcm", token: pushToken() });
    await registered(gw, laptop, { provider: "apns", token: pushToken() });
    const theirs = pushToken();
    await registered(gw, neighbour, { provider: "gcm", token: theirs });

    expect((await unregisterOwn(phone.token, { all: true })).status).to.equal(204);
    expect(allTokens(await devicesOf(gw, laptop))).to.deep.equal([]);
    expect((await devicesOf(gw, neighbour)).android).to.deep.equal([theirs]);
  });

  it("refuses ambiguous bodies", async () => {
    const session = await signIn(gw, app, "u-ambiguous");
    const both = await unregisterOwn(session.token, { provider: "gcm", token: "t", all: true });
    expect(both.status).to.equal(400);
    expect(both.body.errors[0]).to.deep.equal({
      path: "all",
      message: "send either {provider, token} or {all}, not both",
    });
    const half = await unregisterOwn(session.token, { token: "t" });
    expect(half.status).to.equal(400);
    expect(half.body.errors[0]).to.deep.equal({
      path: "provider",
      message: "provider and token go together",
    });
    const notBoolean = await unregisterOwn(session.token, { all: "yes" });
    expect(notBoolean.status).to.equal(400);
    expect(notBoolean.body.errors[0]).to.deep.equal({ path: "all", message: "must be true or false" });
  });

  it("lets the app unregister a device by device_id or by token with its API key alone", async () => {
    const session = await signIn(gw, app, "u-server");
    const byId = pushToken();
    const byToken = pushToken();
    await registered(gw, session, { provider: "apns", token: byId, device_id: "server-1" });
    await registered(gw, session, { provider: "gcm", token: byToken });

    const answered = async (body: unknown) => {
      const response = await unregisterByServer(body);
      expect(response.status).to.equal(200);
      return response.body;
    };
    expect(await answered({ device_id: "server-1" })).to.deep.equal({ unregistered: true });
    expect(await devicesOf(gw, session)).to.deep.equal({ ios: [], android: [byToken], web: [], voip: [] });
    expect(await answered({ device_id: "server-1" }), "already gone").to.deep.equal({ unregistered: false });
    expect(await answered({ provider: "fcm", token: byToken })).to.deep.equal({ unregistered: true });
    expect(allTokens(await devicesOf(gw, session))).to.deep.equal([]);
  });

  it("with user_id, unregisters only when the device is bound to that user", async () => {
    const alice = await signIn(gw, app, "alice");
    const bob = await signIn(gw, app, "bob");
    const token = pushToken();
    await registered(gw, alice, { provider: "apns", token, device_id: "handed-over" });
    await registered(gw, bob, { provider: "apns", token, device_id: "handed-over" });

    const stale = await unregisterByServer({ device_id: "handed-over", user_id: "alice" });
    expect(stale.status).to.equal(200);
    expect(stale.body).to.deep.equal({ unregistered: false });
    expect((await devicesOf(gw, bob)).ios).to.deep.equal([token]);

    const current = await unregisterByServer({ provider: "apns", token, user_id: "bob" });
    expect(current.status).to.equal(200);
    expect(current.body).to.deep.equal({ unregistered: true });
    expect((await devicesOf(gw, bob)).ios).to.deep.equal([]);
  });

  it("never reaches another app's devices, and wants an API key and a target", async () => {
    const session = await signIn(gw, app, "u-guarded");
    await registered(gw, session, { provider: "gcm", token: pushToken(), device_id: "guarded" });
    const other = await createApp(gw);
    const foreign = await unregisterByServer({ device_id: "guarded" }, other.api_key);
    expect(foreign.status).to.equal(200);
    expect(foreign.body).to.deep.equal({ unregistered: false });
    expect((await devicesOf(gw, session)).android).to.have.length(1);

    const noKey = await gw.request("POST", "/v1/devices/unregister", { body: { device_id: "guarded" } });
    expect(noKey.status).to.equal(401);
    const noTarget = await unregisterByServer({ user_id: "u-guarded" });
    expect(noTarget.status).to.equal(400);
    expect(noTarget.body.errors[0].message).to.equal("name the device by device_id or by {provider, token}");
  });
});

describe("device writes racing a sign-out", () => {
  it("refuses a registration through a session that ended meanwhile", async () => {
    const gw = await startTestGateway();
    try {
      const app = await createApp(gw);
      const session = await signIn(gw, app, "u-race");
      const { store } = gw.gateway;
      const stored = await store.sessions.findByToken(session.token, new Date());
      if (!stored) throw new Error("the session was not found");
      await store.sessions.end(stored.id);
      const kept = await store.devices.register(
        { appId: app.id, userId: "u-race", sessionId: stored.id },
        {
          deviceId: null,
          platform: "android",
          token: { provider: "gcm", token: pushToken() },
          voip: null,
          locale: null,
          variant: null,
        },
        [],
        new Date(),
      );
      expect(kept).to.equal(false);
      expect(await store.tokens.tokensOf(app.id, ["u-race"])).to.deep.equal([]);
    } finally {
      await gw.close();
    }
  });
});
