import { expect } from "chai";
import { parseExposition } from "../operator/prometheus.js";
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
import { startReceiver, type WebhookReceiver } from "../support/webhook-receiver.js";

/** Far enough ahead that a snooze or mute runs through the whole test. */
const later = "2099-01-01T00:00:00Z";

describe("preferences through the pipeline: mentions, mutes, snooze and silent delivery", () => {
  let world: PushWorld;
  const receivers: WebhookReceiver[] = [];

  before(async () => {
    world = await startPushWorld({ RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE: 100_000 });
  });
  after(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await world.close();
  });
  beforeEach(() => world.sims.received.clear());

  const asServer = (app: TestApp) => ({ token: app.server_key });
  const putUser = (app: TestApp, userId: string, body: unknown) =>
    world.gw.request("PUT", `/v1/apps/${app.id}/users/${userId}/notification-settings`, {
      ...asServer(app),
      body,
    });
  const putChannel = (app: TestApp, userId: string, channelId: string, body: unknown) =>
    world.gw.request(
      "PUT",
      `/v1/apps/${app.id}/users/${userId}/channels/${channelId}/notification-settings`,
      {
        ...asServer(app),
        body,
      },
    );

  async function deliver(app: TestApp, event: Record<string, unknown>, expected: number) {
    const accepted = await postEvent(world.gw, app, event);
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(202);
    const status = await waitForEvent(world.gw, app, event.id as string);
    if (expected > 0) await world.sims.received.waitFor(expected);
    return status;
  }

  describe("a channel at level mentions", () => {
    let app: TestApp;
    let bob: UserDevices;
    let carol: UserDevices;

    before(async () => {
      ({ app } = await createPushApp(world.gw, world.sims));
      bob = await userWithDevices(world.gw, app, "u2", { android: true });
      carol = await userWithDevices(world.gw, app, "u3", { android: true });
      expect((await putChannel(app, "u2", "c1", { level: "mentions" })).status).to.equal(200);
    });

    it("stops a message that mentions nobody, counted under mentions_only", async () => {
      const status = await deliver(app, messageEvent(), 1);
      expect(status).to.include({ recipients: 2, suppressed: 1 });
      expect(status.suppressed_by).to.deep.equal({ mentions_only: 1 });
      expect(world.sims.received.forToken(bob.android as string)).to.have.length(0);
      expect(world.sims.received.forToken(carol.android as string)).to.have.length(1);
    });

    it("lets a message through that mentions the user, or everyone", async () => {
      for (const mention of [{ mentioned_user_ids: ["u2"] }, { mentions_everyone: true }]) {
        world.sims.received.clear();
        const event = messageEvent({ message: { id: "m2", type: "text", text: "look", ...mention } });
        const status = await deliver(app, event, 2);
        expect(status.suppressed_by, JSON.stringify(mention)).to.deep.equal({});
        expect(world.sims.received.forToken(bob.android as string), JSON.stringify(mention)).to.have.length(
          1,
        );
      }
    });

    it("stops everything while the channel is muted, mentions included, counted under channel", async () => {
      await putChannel(app, "u3", "c1", { muted_until: later });
      const event = messageEvent({
        message: { id: "m3", type: "text", text: "hi", mentioned_user_ids: ["u3"] },
      });
      const status = await deliver(app, event, 0);
      expect(status.suppressed_by).to.deep.equal({ channel: 1, mentions_only: 1 });
      await putChannel(app, "u3", "c1", { muted_until: null });
    });
  });

  describe("a snooze, under quiet_delivery drop and silent", () => {
    let app: TestApp;
    let bob: UserDevices;
    let carol: UserDevices;
    let dan: UserDevices;

    before(async () => {
      ({ app } = await createPushApp(world.gw, world.sims));
      bob = await userWithDevices(world.gw, app, "u2", { android: true, ios: true, voip: true });
      carol = await userWithDevices(world.gw, app, "u3", { android: true });
      dan = await userWithDevices(world.gw, app, "u4", { android: true });
      await putUser(app, "u2", { snoozed_until: later });
      await putUser(app, "u4", {
        snoozed_until: later,
        quiet_hours: { time_zone: "UTC", windows: [], allow: ["mention"] },
      });
    });
    const members = { id: "c1", display_name: "Team", member_ids: ["u1", "u2", "u3", "u4"] };

    it("drops what the snooze holds back by default, and lets through what allow names", async () => {
      const event = messageEvent({
        channel: members,
        message: { id: "m1", type: "text", text: "@Dan", mentioned_user_ids: ["u4"] },
      });
      const status = await deliver(app, event, 2);
      expect(status).to.include({ recipients: 3, suppressed: 1 });
      expect(status.suppressed_by).to.deep.equal({ snooze: 1 });
      expect(status.deliveries).to.include({ sent: 2, silenced: 0 });
      expect(world.sims.received.forToken(bob.android as string)).to.have.length(0);
      expect(world.sims.received.forToken(dan.android as string), "mentioned, allowed").to.have.length(1);
    });

    it("sends it without sound under silent: APNs passive without sound, FCM PRIORITY_MIN at normal priority", async () => {
      const patched = await world.gw.request("PATCH", `/v1/apps/${app.id}`, {
        ...asServer(app),
        body: { quiet_delivery: "silent" },
      });
      expect(patched.body.quiet_delivery).to.equal("silent");
      const scraped = async () =>
        parseExposition(await world.gw.gateway.metrics.scrape())
          .filter((sample) => sample.name === "pushgate_deliveries_silenced_total")
          .reduce((sum, sample) => sum + sample.value, 0);
      const silencedBefore = await scraped();

      const event = messageEvent({ channel: members });
      const status = await deliver(app, event, 4);
      expect(status).to.include({ recipients: 3, suppressed: 0 });
      expect(status.suppressed_by).to.deep.equal({});
      expect(status.deliveries).to.include({ sent: 4, silenced: 3 });
      expect((await scraped()) - silencedBefore).to.equal(3);

      const quietAndroid = fcmPayload(world.sims.received.forToken(bob.android as string)[0]);
      expect(quietAndroid.notification).to.deep.equal({ title: "Alice (Team)", body: "hello" });
      expect(quietAndroid.android).to.deep.include({ priority: "normal" });
      expect(quietAndroid.android?.notification).to.deep.equal({
        tag: event.id,
        notification_priority: "PRIORITY_MIN",
      });
      const loudAndroid = fcmPayload(world.sims.received.forToken(carol.android as string)[0]);
      expect(loudAndroid.android).to.deep.include({
        priority: "high",
        notification: { tag: event.id, notification_count: 2 },
      });

      const [quietIos] = world.sims.received.forToken(bob.ios as string);
      expect(quietIos?.headers["apns-push-type"]).to.equal("alert");
      expect(apnsPayload(quietIos).aps).to.deep.equal({
        alert: { title: "Alice (Team)", body: "hello" },
        "interruption-level": "passive",
        "thread-id": "c1",
      });
    });

    it("sends a held-back call as a quiet alert, never as a VoIP push", async () => {
      const call = {
        id: eventId(),
        type: "call.ringing",
        occurred_at: new Date().toISOString(),
        actor: { id: "u1", display_name: "Alice" },
        channel: { id: "c1", member_ids: ["u1", "u2"] },
        call: { id: "call1", kind: "video" },
      };
      const status = await deliver(app, call, 2);
      expect(status.deliveries).to.include({ sent: 2, silenced: 2 });
      expect(world.sims.received.forToken(bob.voip as string)).to.have.length(0);
      const [ios] = world.sims.received.forToken(bob.ios as string);
      expect(ios?.headers["apns-push-type"]).to.equal("alert");
      expect(apnsPayload(ios).aps).to.deep.include({
        alert: { title: "Alice", body: "Incoming video call" },
        "interruption-level": "passive",
      });
      const android = fcmPayload(world.sims.received.forToken(bob.android as string)[0]);
      expect(android.notification, "a notification, not a data-only ring").to.deep.equal({
        title: "Alice",
        body: "Incoming video call",
      });
    });
  });

  it("tells the customer's webhook who was stopped by which check, and who gets it silently", async () => {
    const receiver = await startReceiver([], () => ({ body: { action: "send" } }));
    receivers.push(receiver);
    const { app } = await createPushApp(world.gw, world.sims, {
      mode: "webhook",
      webhook: { url: receiver.url },
      quiet_delivery: "silent",
    });
    receiver.secrets.push(app.webhook_secret);
    for (const userId of ["u2", "u3", "u4", "u5"])
      await userWithDevices(world.gw, app, userId, { android: true });
    await putUser(app, "u2", { snoozed_until: later });
    await putUser(app, "u3", { enabled: false });
    await putChannel(app, "u4", "c1", { level: "mentions" });

    const event = messageEvent({
      channel: { id: "c1", display_name: "Team", member_ids: ["u1", "u2", "u3", "u4", "u5"] },
    });
    const status = await deliver(app, event, 2);
    const [delivery] = await receiver.waitFor(1);
    expect(delivery?.body).to.deep.include({
      recipient_ids: ["u2", "u5"],
      silent_recipient_ids: ["u2"],
      suppressed_by: { user: 1, mentions_only: 1 },
    });
    expect(status.suppressed_by).to.deep.equal({ user: 1, mentions_only: 1 });
    expect(status.deliveries).to.include({ sent: 2, silenced: 1 });
  });
});
