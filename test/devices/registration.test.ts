import { expect } from "chai";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";
import {
  allTokens,
  devicesOf,
  localesOf,
  pushToken,
  register,
  registered,
  registeredWithVoip,
  signIn,
  type TestApp,
} from "./client.js";
import { useGatewayWithApp } from "./fixtures.js";

describe("device registration", () => {
  let gw: TestGateway;
  let app: TestApp;
  useGatewayWithApp((started) => ({ gw, app } = started));

  it("registers every provider of the table, each under its platform", async () => {
    const session = await signIn(gw, app, "u-providers");
    const tokens = {
      gcm: pushToken(),
      fcm: pushToken(),
      web: pushToken(),
      apns: pushToken(),
      apnsInternal: pushToken(),
      apnsVoip: pushToken(),
      apnsInternalVoip: pushToken(),
    };
    await registered(gw, session, { provider: "gcm", token: tokens.gcm });
    await registered(gw, session, { provider: "fcm", token: tokens.fcm, platform: "android" });
    await registered(gw, session, { provider: "gcm", token: tokens.web, platform: "web" });
    await registered(gw, session, { provider: "apns", token: tokens.apns, platform: "ios" });
    await registered(gw, session, { provider: "apns_internal", token: tokens.apnsInternal });
    await registered(gw, session, { provider: "apns_voip", token: tokens.apnsVoip });
    await registered(gw, session, { provider: "apns_internal_voip", token: tokens.apnsInternalVoip });

    const list = await devicesOf(gw, session);
    expect(list.android).to.have.members([tokens.gcm, tokens.fcm]);
    expect(list.web).to.deep.equal([tokens.web]);
    expect(list.ios).to.have.members([tokens.apns, tokens.apnsInternal]);
    expect(list.voip).to.have.members([tokens.apnsVoip, tokens.apnsInternalVoip]);
    const stored = await gw.gateway.store.tokens.tokensOf(app.id, ["u-providers"]);
    expect(stored.find((token) => token.token === tokens.fcm)?.provider).to.equal("gcm");
    expect(stored.find((token) => token.token === tokens.apnsInternalVoip)).to.include({
      provider: "apns_internal_voip",
      platform: "ios",
      voip: true,
    });
  });

  it("registers an APNs token with its VoIP pair as one device", async () => {
    const session = await signIn(gw, app, "u-voip");
    const { alert, voip } = await registeredWithVoip(gw, session);
    expect(await devicesOf(gw, session)).to.deep.equal({ ios: [alert], android: [], web: [], voip: [voip] });
    const stored = await gw.gateway.store.tokens.tokensOf(app.id, ["u-voip"]);
    expect(stored).to.have.length(2);
    expect(stored[0]?.deviceId).to.equal(stored[1]?.deviceId);
  });

  it("identifies a device by its device_id: a new token replaces the old one", async () => {
    const session = await signIn(gw, app, "u-refresh");
    const first = pushToken();
    const refreshed = pushToken();
    await registered(gw, session, { provider: "gcm", token: first, device_id: "pixel-1" });
    await registered(gw, session, { provider: "gcm", token: refreshed, device_id: "pixel-1" });
    expect((await devicesOf(gw, session)).android).to.deep.equal([refreshed]);
  });

  it("identifies a device by its token without a device_id, and gives a token to one device only", async () => {
    const session = await signIn(gw, app, "u-identity");
    const a = pushToken();
    const b = pushToken();
    await registered(gw, session, { provider: "gcm", token: a });
    await registered(gw, session, { provider: "gcm", token: b });
    expect((await devicesOf(gw, session)).android).to.have.members([a, b]);

    await registered(gw, session, { provider: "gcm", token: a, device_id: "tablet-1" });
    await registered(gw, session, { provider: "gcm", token: a, device_id: "tablet-2" });
    const stored = await gw.gateway.store.tokens.tokensOf(app.id, ["u-identity"]);
    expect(stored.map((token) => token.token)).to.have.members([a, b]);
  });

  it("binds a device to one user, the last to register it, at once", async () => {
    const alice = await signIn(gw, app, "alice");
    const bob = await signIn(gw, app, "bob");
    const token = pushToken();
    await registered(gw, alice, { provider: "apns", token, device_id: "shared-ipad" });
    expect((await devicesOf(gw, alice)).ios).to.deep.equal([token]);

    await registered(gw, bob, { provider: "apns", token, device_id: "shared-ipad" });
    expect((await devicesOf(gw, alice)).ios).to.deep.equal([]);
    expect((await devicesOf(gw, bob)).ios).to.deep.equal([token]);
    const recipients = await gw.gateway.store.tokens.tokensOf(app.id, ["alice", "bob"]);
    expect(recipients.map((recipient) => recipient.userId)).to.deep.equal(["bob"]);

    const byToken = pushToken();
    await registered(gw, alice, { provider: "gcm", token: byToken });
    await registered(gw, bob, { provider: "gcm", token: byToken });
    expect((await devicesOf(gw, alice)).android).to.deep.equal([]);
  });

  it("is idempotent: registering the same thing twice changes nothing", async () => {
    const session = await signIn(gw, app, "u-twice");
    const token = pushToken();
    const voip = pushToken();
    const body = {
      provider: "apns",
      token,
      voip_provider: "apns_voip",
      voip_token: voip,
      device_id: "iphone-twice",
    };
    await registered(gw, session, body);
    const before = await gw.gateway.store.tokens.tokensOf(app.id, ["u-twice"]);
    await registered(gw, session, body);
    const after = await gw.gateway.store.tokens.tokensOf(app.id, ["u-twice"]);
    expect(after).to.deep.equal(before);
    expect(await devicesOf(gw, session)).to.deep.equal({ ios: [token], android: [], web: [], voip: [voip] });
  });

  it("keeps the device's locale in canonical form until a registration without one, the user's showing meanwhile", async () => {
    const session = await signIn(gw, app, "u-locale");
    const [phone, tablet] = [pushToken(), pushToken()];
    await registered(gw, session, { provider: "gcm", token: phone, device_id: "phone", locale: "pt-br" });
    await registered(gw, session, { provider: "gcm", token: tablet, device_id: "tablet" });
    expect(await localesOf(gw, session)).to.deep.equal({ [phone]: "pt-BR", [tablet]: null });
    const settings = await gw.request("PUT", "/v1/users/@me/notification-settings", {
      token: session.token,
      body: { locale: "de" },
    });
    expect(settings.status).to.equal(200);
    expect(await localesOf(gw, session)).to.deep.equal({ [phone]: "pt-BR", [tablet]: "de" });
    await registered(gw, session, { provider: "gcm", token: phone, device_id: "phone" });
    expect(await localesOf(gw, session)).to.deep.equal({ [phone]: "de", [tablet]: "de" });
  });

  it("accepts opaque tokens up to 4096 characters", async () => {
    const session = await signIn(gw, app, "u-long");
    const long = `${"Zz9_-:".repeat(682)}abcd`;
    expect(long).to.have.length(4096);
    await registered(gw, session, { provider: "apns", token: long });
    expect((await devicesOf(gw, session)).ios).to.deep.equal([long]);
  });

  it("refuses malformed registrations with precise 400s", async () => {
    const session = await signIn(gw, app, "u-bad");
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ provider: "pushy", token: "t" }, "provider", /unknown provider/],
      [{ provider: "gcm", token: "" }, "token", /must not be empty/],
      [{ provider: "gcm", token: "x".repeat(4097) }, "token", /at most 4096/],
      [{ provider: "gcm", token: "a b" }, "token", /whitespace/],
      [{ provider: "gcm" }, "token", /./],
      [{ provider: "gcm", token: "t", voip_provider: "apns_voip", voip_token: "v" }, "voip_provider", /apns/],
      [{ provider: "apns", token: "t", voip_provider: "apns_voip" }, "voip_token", /go together/],
      [{ provider: "apns", token: "t", voip_provider: "gcm", voip_token: "v" }, "voip_provider", /apns_voip/],
      [{ provider: "apns", token: "t", voip_provider: "apns_voip", voip_token: "t" }, "voip_token", /differ/],
      [{ provider: "apns", token: "t", platform: "android" }, "platform", /not a platform of provider apns/],
      [{ provider: "gcm", token: "t", platform: "ios" }, "platform", /not a platform of provider gcm/],
      [{ provider: "gcm", token: "t", colour: "red" }, "(body)", /colour/],
      [{ provider: "gcm", token: "t", locale: "english please" }, "locale", /BCP 47/],
      [{ provider: "gcm", token: "t", locale: "" }, "locale", /BCP 47/],
    ];
    for (const [body, path, message] of cases) {
      const response = await register(gw, session, body);
      expect(response.status, JSON.stringify(body)).to.equal(400);
      expect(response.headers.get("content-type")).to.match(/^application\/problem\+json/);
      const error = response.body.errors.find((candidate: { path: string }) => candidate.path === path);
      expect(error, `${JSON.stringify(body)} → ${JSON.stringify(response.body.errors)}`).to.not.equal(
        undefined,
      );
      expect(error.message).to.match(message);
    }
    const notJson = await gw.request("POST", "/v1/users/@me/devices", {
      token: session.token,
      rawBody: "{",
      headers: { "content-type": "application/json" },
    });
    expect(notJson.status).to.equal(400);
    expect(allTokens(await devicesOf(gw, session))).to.deep.equal([]);
  });

  it("never leaves two owners when many users register one device at the same time", async () => {
    const users = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(gw, app, `racer-${i}`)));
    const token = pushToken();
    const answers = await Promise.all(
      users.map((user) => register(gw, user, { provider: "apns", token, device_id: "contested-device" })),
    );
    expect(answers.map((answer) => answer.status)).to.deep.equal(users.map(() => 204));
    const owners = await gw.gateway.store.tokens.tokensOf(
      app.id,
      users.map((user) => user.userId),
    );
    expect(owners).to.have.length(1);
    const lists = await Promise.all(users.map((user) => devicesOf(gw, user)));
    expect(lists.filter((list) => list.ios.includes(token))).to.have.length(1);
  });

  it("never gives one token to two devices when registered on many at the same time", async () => {
    const users = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(gw, app, `mover-${i}`)));
    const token = pushToken();
    const answers = await Promise.all(
      users.map((user, i) => register(gw, user, { provider: "gcm", token, device_id: `mover-device-${i}` })),
    );
    expect(answers.map((answer) => answer.status)).to.deep.equal(users.map(() => 204));
    const holders = await gw.gateway.store.tokens.tokensOf(
      app.id,
      users.map((user) => user.userId),
    );
    expect(holders).to.have.length(1);
    const same = await Promise.all(
      Array.from({ length: 20 }, () =>
        register(gw, users[0] as (typeof users)[0], { provider: "gcm", token }),
      ),
    );
    expect(same.map((answer) => answer.status)).to.deep.equal(users.map(() => 204));
    expect(await gw.gateway.store.tokens.tokensOf(app.id, ["mover-0"])).to.have.length(1);
  });

  it("keeps apps apart: the same token in two apps is two registrations", async () => {
    const other = await createApp(gw);
    const token = pushToken();
    const here = await signIn(gw, app, "u-apps");
    const there = await signIn(gw, other, "u-apps");
    await registered(gw, here, { provider: "gcm", token });
    await registered(gw, there, { provider: "gcm", token });
    expect((await devicesOf(gw, here)).android).to.deep.equal([token]);
    expect((await devicesOf(gw, there)).android).to.deep.equal([token]);
  });
});

describe("device registration through a session opened with a device_id", () => {
  it("files registrations under the device_id given at sign-in", async () => {
    const gw = await startTestGateway();
    try {
      const app = await createApp(gw);
      const session = await signIn(gw, app, "u1", "ios-5F2A");
      const first = pushToken();
      const refreshed = pushToken();
      await registered(gw, session, { provider: "apns", token: first });
      await registered(gw, session, { provider: "apns", token: refreshed });
      expect((await devicesOf(gw, session)).ios).to.deep.equal([refreshed]);
      const unregistered = await gw.request("POST", "/v1/devices/unregister", {
        headers: { "x-api-key": app.api_key },
        body: { device_id: "ios-5F2A" },
      });
      expect(unregistered.body).to.deep.equal({ unregistered: true });
    } finally {
      await gw.close();
    }
  });
});
