import { expect } from "chai";
import { eventId, messageEvent, postEvent, waitForEvent } from "../support/events.js";
import {
  apnsPayload,
  createPushApp,
  fcmPayload,
  type PushWorld,
  startPushWorld,
  type TestApp,
  type UserDevices,
  userWithDevices,
} from "../support/push-world.js";

describe("badges: each user's unread count, sent with every alert (docs/api.md, Badges)", () => {
  let world: PushWorld;
  let bob: UserDevices;
  const asServer = (app: TestApp) => ({ token: app.server_key });
  const channel = { id: "c1", display_name: "Team", member_ids: ["u1", "u2"] };

  before(async () => {
    world = await startPushWorld();
    await userWithDevices(world.gw, world.app, "u1", { android: true });
    bob = await userWithDevices(world.gw, world.app, "u2", { android: true, ios: true, voip: true });
  });
  after(() => world?.close());
  beforeEach(() => world.sims.received.clear());

  async function deliver(app: TestApp, event: Record<string, unknown>, expected: number) {
    const accepted = await postEvent(world.gw, app, event);
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(202);
    await waitForEvent(world.gw, app, event.id as string);
    await world.sims.received.waitFor(expected);
  }

  /** The badge each of Bob's devices was sent by the last event: [Android, iPhone]. */
  function bobsBadges(): [unknown, unknown] {
    const android = fcmPayload(world.sims.received.forToken(bob.android as string).at(-1));
    const ios = apnsPayload(world.sims.received.forToken(bob.ios as string).at(-1));
    const notification = android.android?.notification as Record<string, unknown> | undefined;
    expect(android.data?.badge, "FCM data carries it as a string").to.equal(
      notification?.notification_count === undefined ? undefined : String(notification.notification_count),
    );
    return [notification?.notification_count, (ios.aps as Record<string, unknown>).badge];
  }

  it("counts once per event, whatever the number of devices, and sends the count to each", async () => {
    await deliver(world.app, messageEvent({ channel }), 2);
    expect(bobsBadges()).to.deep.equal([1, 1]);
    await deliver(world.app, messageEvent({ channel }), 2);
    expect(bobsBadges()).to.deep.equal([2, 2]);
  });

  it("is reset by the signed-in user and set by the server; both read it back", async () => {
    const session = { token: bob.session.token };
    const server = `/v1/apps/${world.app.id}/users/u2/badge`;
    expect((await world.gw.request("GET", "/v1/users/@me/badge", session)).body).to.deep.equal({ count: 2 });
    const reset = await world.gw.request("PUT", "/v1/users/@me/badge", { ...session, body: { count: 0 } });
    expect(reset.status).to.equal(200);
    expect(reset.body).to.deep.equal({ count: 0 });
    expect((await world.gw.request("GET", server, asServer(world.app))).body).to.deep.equal({ count: 0 });
    await deliver(world.app, messageEvent({ channel }), 2);
    expect(bobsBadges()).to.deep.equal([1, 1]);

    const set = await world.gw.request("PUT", server, { ...asServer(world.app), body: { count: 41 } });
    expect(set.body).to.deep.equal({ count: 41 });
    expect((await world.gw.request("GET", "/v1/users/@me/badge", session)).body).to.deep.equal({ count: 41 });
    await deliver(world.app, messageEvent({ channel }), 2);
    expect(bobsBadges()).to.deep.equal([42, 42]);
  });

  it("sends the count an event's badges names, and ignores users who are not recipients", async () => {
    const event = messageEvent({ channel, badges: { u2: 7, outsider: 3 } });
    await deliver(world.app, event, 2);
    expect(bobsBadges()).to.deep.equal([7, 7]);
    const outsider = await world.gw.request(
      "GET",
      `/v1/apps/${world.app.id}/users/outsider/badge`,
      asServer(world.app),
    );
    expect(outsider.body).to.deep.equal({ count: 0 });
    await deliver(world.app, messageEvent({ channel }), 2);
    expect(bobsBadges()).to.deep.equal([8, 8]);
  });

  it("puts no badge on calls, VoIP pushes or silent notifications, and does not count them", async () => {
    const call = {
      id: eventId(),
      type: "call.ringing",
      occurred_at: new Date().toISOString(),
      actor: { id: "u1", display_name: "Alice" },
      channel,
      call: { id: "call-1", kind: "video" },
    };
    await deliver(world.app, call, 2);
    const voip = world.sims.received.forToken(bob.voip as string)[0];
    expect(apnsPayload(voip).aps).to.not.have.property("badge");
    const ringing = fcmPayload(world.sims.received.forToken(bob.android as string)[0]);
    expect(ringing.data).to.not.have.property("badge");

    world.sims.received.clear();
    const silentApp = await world.gw.request("PATCH", `/v1/apps/${world.app.id}`, {
      ...asServer(world.app),
      body: { quiet_delivery: "silent" },
    });
    expect(silentApp.status).to.equal(200);
    const snoozed = await world.gw.request("PUT", "/v1/users/@me/notification-settings", {
      token: bob.session.token,
      body: { snoozed_until: new Date(Date.now() + 3_600_000).toISOString() },
    });
    expect(snoozed.status, JSON.stringify(snoozed.body)).to.equal(200);
    await deliver(world.app, messageEvent({ channel }), 2);
    expect(bobsBadges()).to.deep.equal([undefined, undefined]);
    const count = await world.gw.request(
      "GET",
      `/v1/apps/${world.app.id}/users/u2/badge`,
      asServer(world.app),
    );
    expect(count.body).to.deep.equal({ count: 8 });
  });

  it("sends no badge, and counts nothing, under badge: off", async () => {
    const { app } = await createPushApp(world.gw, world.sims, { badge: "off" });
    expect(app.badge).to.equal("off");
    const carol = await userWithDevices(world.gw, app, "u2", { android: true, ios: true });
    await deliver(app, messageEvent({ channel, badges: { u2: 5 } }), 2);
    const android = fcmPayload(world.sims.received.forToken(carol.android as string)[0]);
    expect(android.data).to.not.have.property("badge");
    expect(android.android?.notification).to.not.have.property("notification_count");
    expect(apnsPayload(world.sims.received.forToken(carol.ios as string)[0]).aps).to.not.have.property(
      "badge",
    );
    const count = await world.gw.request("GET", `/v1/apps/${app.id}/users/u2/badge`, asServer(app));
    expect(count.body).to.deep.equal({ count: 0 });
  });

  it("answers 400 naming the field for a bad count, in a PUT or an event", async () => {
    for (const count of [-1, 1.5, 1_000_001, "3"]) {
      const answer = await world.gw.request("PUT", "/v1/users/@me/badge", {
        token: bob.session.token,
        body: { count },
      });
      expect(answer.status, JSON.stringify(count)).to.equal(400);
      expect(JSON.stringify(answer.body)).to.include("count");
    }
    const missing = await world.gw.request("PUT", `/v1/apps/${world.app.id}/users/u2/badge`, {
      ...asServer(world.app),
      body: {},
    });
    expect(missing.status).to.equal(400);
    const event = await postEvent(world.gw, world.app, messageEvent({ channel, badges: { u2: -3 } }));
    expect(event.status).to.equal(400);
    expect(JSON.stringify(event.body)).to.include("badges");
    const app = await world.gw.request("PATCH", `/v1/apps/${world.app.id}`, {
      ...asServer(world.app),
      body: { badge: "sometimes" },
    });
    expect(app.status).to.equal(400);
    expect(JSON.stringify(app.body)).to.include("badge");
  });
});
