import { expect } from "chai";
import { allTokens, devicesOf, registered } from "../devices/client.js";
import {
  createPushApp,
  fcmToken,
  type PushWorld,
  startPushWorld,
  type TestApp,
  type UserDevices,
  userWithDevices,
} from "../support/push-world.js";

const everyDay = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

describe("test notifications: each device's provider answer, now (docs/api.md, Test notifications)", () => {
  let world: PushWorld;
  let bob: UserDevices;
  let dead: string;
  const asServer = (app: TestApp) => ({ token: app.server_key });
  const serverPath = (app: TestApp, userId: string) => `/v1/apps/${app.id}/users/${userId}/test-notification`;

  before(async () => {
    world = await startPushWorld({ RATE_LIMIT_TEST_NOTIFICATIONS_PER_USER_PER_MINUTE: 3 });
    bob = await userWithDevices(world.gw, world.app, "bob", { android: true, ios: true });
    dead = fcmToken();
    await registered(world.gw, bob.session, { provider: "gcm", token: dead, device_id: "old-phone" });
    world.sims.scriptToken(dead, { kind: "dead" });
  });
  after(() => world?.close());
  beforeEach(() => world.sims.received.clear());

  it("sends to every device of the user and answers each outcome; a dead token is removed", async () => {
    const answer = await world.gw.request("POST", serverPath(world.app, "bob"), {
      ...asServer(world.app),
      body: { title: "Hello", body: "Is this on?" },
    });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    const devices = answer.body.devices as { device_id: string; token: string; provider_error: unknown }[];
    expect(devices).to.have.length(3);
    expect(new Set(devices.map((device) => device.device_id)).size, "one answer per device").to.equal(3);
    expect(devices.map((device) => device.device_id)).to.have.members([
      "android-bob",
      "ios-bob",
      "old-phone",
    ]);
    const byDevice = Object.fromEntries(devices.map(({ device_id: _, ...device }) => [device.token, device]));
    const android = `…${(bob.android as string).slice(-8)}`;
    const ios = `…${(bob.ios as string).slice(-8)}`;
    const old = `…${dead.slice(-8)}`;
    expect(byDevice).to.have.keys(android, ios, old);
    expect(byDevice[android]).to.deep.equal({
      provider: "gcm",
      token: android,
      outcome: "sent",
      provider_status: "200",
      provider_error: null,
    });
    expect(byDevice[ios]).to.deep.include({
      provider: "apns",
      token: ios,
      outcome: "sent",
      provider_status: "200",
      provider_error: null,
    });
    expect(byDevice[old]).to.deep.include({
      provider: "gcm",
      token: old,
      outcome: "invalid_token",
      provider_status: "404",
    });
    expect(byDevice[old]?.provider_error).to.be.a("string");
    expect(answer.body.would_suppress).to.equal(null);
    expect(world.sims.received.forToken(bob.android as string)).to.have.length(1);
    expect(world.sims.received.forToken(bob.ios as string)).to.have.length(1);
    const tokens = allTokens(await devicesOf(world.gw, bob.session));
    expect(tokens).to.include(bob.android).and.include(bob.ios).and.not.include(dead);
  });

  it("names quiet hours as what would stop a real message, while the devices still get the test", async () => {
    const carol = await userWithDevices(world.gw, world.app, "carol", { android: true });
    const settings = await world.gw.request("PUT", "/v1/users/@me/notification-settings", {
      token: carol.session.token,
      body: {
        quiet_hours: {
          time_zone: "Pacific/Auckland",
          windows: [{ days: everyDay, start: "00:00", end: "24:00" }],
        },
      },
    });
    expect(settings.status, JSON.stringify(settings.body)).to.equal(200);
    const answer = await world.gw.request("POST", "/v1/users/@me/test-notification", {
      token: carol.session.token,
      body: {},
    });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    expect(answer.body.would_suppress).to.equal("quiet_hours");
    expect(answer.body.devices.map((device: { outcome: string }) => device.outcome)).to.deep.equal(["sent"]);
    const received = world.sims.received.forToken(carol.android as string);
    expect(received).to.have.length(1);
    expect(received[0]?.payload).to.deep.include({
      notification: { title: "Test notification", body: "Sent from Pushgate to check this device" },
    });
  });

  it("under dry_run, has FCM validate without notifying and skips the iPhone", async () => {
    const dave = await userWithDevices(world.gw, world.app, "dave", { android: true, ios: true });
    const answer = await world.gw.request("POST", "/v1/users/@me/test-notification", {
      token: dave.session.token,
      body: { dry_run: true },
    });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    const outcomes = Object.fromEntries(
      answer.body.devices.map(
        (device: { provider: string; outcome: string; provider_status: string | null }) => [
          device.provider,
          [device.outcome, device.provider_status],
        ],
      ),
    );
    expect(outcomes).to.deep.equal({ gcm: ["sent", "200"], apns: ["skipped", null] });
    expect(world.sims.received.entries).to.have.length(0);
  });

  it("answers an empty list for a user without devices", async () => {
    const answer = await world.gw.request("POST", serverPath(world.app, "nobody"), asServer(world.app));
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    expect(answer.body).to.deep.equal({ devices: [], would_suppress: null });
  });

  it("answers 404 to another app's server key", async () => {
    const { app: other } = await createPushApp(world.gw, world.sims);
    const answer = await world.gw.request("POST", serverPath(world.app, "bob"), {
      ...asServer(other),
      body: {},
    });
    expect(answer.status).to.equal(404);
    expect(world.sims.received.entries).to.have.length(0);
  });

  it("limits each user on their own: 429 with Retry-After past it, another user still gets through", async () => {
    const erin = await userWithDevices(world.gw, world.app, "erin", { android: true });
    const send = (userId: string) =>
      world.gw.request("POST", serverPath(world.app, userId), {
        ...asServer(world.app),
        body: { dry_run: true },
      });
    for (let i = 0; i < 3; i++) expect((await send("erin")).status).to.equal(200);
    const refused = await send("erin");
    expect(refused.status).to.equal(429);
    expect(Number(refused.headers.get("retry-after"))).to.be.greaterThan(0);
    expect((await send("frank")).status).to.equal(200);
    expect(erin.android).to.be.a("string");
  });

  it("answers 400 naming the field for a bad body", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ title: "x".repeat(201) }, "title"],
      [{ body: "x".repeat(1001) }, "body"],
      [{ dry_run: "yes" }, "dry_run"],
      [{ sound: "loud" }, "sound"],
    ];
    for (const [body, field] of cases) {
      const answer = await world.gw.request("POST", "/v1/users/@me/test-notification", {
        token: bob.session.token,
        body,
      });
      expect(answer.status, JSON.stringify(body)).to.equal(400);
      expect(JSON.stringify(answer.body), JSON.stringify(body)).to.include(field);
    }
  });
});
