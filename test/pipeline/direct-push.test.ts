import { expect } from "chai";
import { generateAppCredentials } from "../../src/simulators/simulated-credentials.js";
import { devicesOf } from "../devices/client.js";
import { eventId, messageEvent, postEvent, waitForEvent } from "../support/events.js";
import {
  apnsPayload,
  createPushApp,
  fcmPayload,
  type PushWorld,
  startPushWorld,
  type UserDevices,
  userWithDevices,
} from "../support/push-world.js";

const now = () => new Date().toISOString();

const deliveryPaths = [
  { path: "sent by the event job (the default for small audiences)", settings: {} },
  { path: "through delivery jobs", settings: { INLINE_DELIVERY_MAX_RECIPIENTS: 0 } },
];

for (const { path, settings } of deliveryPaths)
  describe(`direct push through FCM and APNs, ${path}`, () => {
    let world: PushWorld;
    let alice: UserDevices;
    let bob: UserDevices;
    let carol: UserDevices;

    before(async () => {
      world = await startPushWorld(settings);
      alice = await userWithDevices(world.gw, world.app, "u1", { android: true });
      bob = await userWithDevices(world.gw, world.app, "u2", { android: true });
      carol = await userWithDevices(world.gw, world.app, "u3", { ios: true, voip: true });
    });
    after(() => world.close());
    beforeEach(() => world.sims.received.clear());

    async function deliver(event: Record<string, unknown>, expected: number) {
      const accepted = await postEvent(world.gw, world.app, event);
      expect(accepted.status, JSON.stringify(accepted.body)).to.equal(202);
      const status = await waitForEvent(world.gw, world.app, event.id as string);
      if (expected > 0) await world.sims.received.waitFor(expected);
      return status;
    }

    it("sends a message to the channel's members but never to the actor, mapped per provider (docs/api.md §9)", async () => {
      const event = messageEvent({ data: { deep_link: "acme://c/c1", priority: 2 } });
      const status = await deliver(event, 2);
      expect(status).to.include({
        status: "completed",
        recipients: 2,
        suppressed: 0,
        mode: "direct",
        webhook: null,
      });
      expect(status.deliveries).to.include({ sent: 2, failed: 0, invalid_tokens: 0, pending: 0 });
      expect(world.sims.received.forToken(alice.android as string), "the actor").to.have.length(0);

      const message = fcmPayload(world.sims.received.forToken(bob.android as string)[0]);
      expect(message.notification).to.deep.equal({ title: "Alice (Team)", body: "hello" });
      expect(message.data).to.deep.equal({
        event_id: event.id,
        event_type: "message.created",
        channel_id: "c1",
        message_id: "m1",
        deep_link: "acme://c/c1",
        priority: "2",
        badge: "1",
      });
      expect(message.android?.priority).to.equal("high");
      expect(message.android?.notification).to.deep.include({ tag: event.id, notification_count: 1 });

      const [ios] = world.sims.received.forToken(carol.ios as string);
      expect(ios?.simulator).to.equal("apns-production");
      expect(ios?.headers["apns-topic"]).to.equal(world.credentials.apns.bundleId);
      expect(ios?.headers["apns-push-type"]).to.equal("alert");
      expect(ios?.headers["apns-collapse-id"]).to.equal(event.id);
      expect(Number(ios?.headers["apns-expiration"])).to.be.greaterThan(Date.now() / 1000);
      const { aps } = apnsPayload(ios);
      expect(aps).to.deep.include({
        alert: { title: "Alice (Team)", body: "hello" },
        sound: "default",
        "thread-id": "c1",
        badge: 1,
      });
      expect(ios?.payload).to.include({ event_id: event.id, deep_link: "acme://c/c1", channel_id: "c1" });
      expect(world.sims.received.forToken(carol.voip as string), "no VoIP push for a message").to.have.length(
        0,
      );
    });

    it("words every trigger as docs/api.md §7 says", async () => {
      const channel = { id: "c9", display_name: "Ops", member_ids: ["u1", "u2"] };
      const actor = { id: "u1", display_name: "Alice" };
      const cases: [Record<string, unknown>, { title: string; body: string }][] = [
        [
          { type: "channel.created", channel },
          { title: "Ops", body: "You're now member of Ops!" },
        ],
        [
          { type: "channel.member_joined", actor, channel },
          { title: "Alice", body: "Alice has joined Ops" },
        ],
        [
          { type: "message.created", actor, channel, message: { id: "m", type: "image" } },
          { title: "Alice (Ops)", body: "Image Message" },
        ],
        [
          { type: "message.created", actor, channel, message: { id: "m", type: "poll" } },
          { title: "Alice (Ops)", body: "Special message" },
        ],
        [
          {
            type: "message.created",
            actor: { id: "u1" },
            channel: { id: "c9", member_ids: ["u1", "u2"] },
            message: { id: "m", type: "text", text: "hi" },
          },
          { title: "u1 (c9)", body: "hi" },
        ],
        [
          {
            type: "notification.custom",
            recipient_ids: ["u2"],
            notification: { title: "Heads up", body: "Maintenance at 6" },
            module: "social",
          },
          { title: "Heads up", body: "Maintenance at 6" },
        ],
      ];
      for (const [fields, wording] of cases) {
        world.sims.received.clear();
        const event = { id: eventId(), occurred_at: now(), actor, ...fields };
        await deliver(event, 1);
        const received = fcmPayload(world.sims.received.forToken(bob.android as string)[0]);
        expect(received.notification, fields.type as string).to.deep.equal(wording);
      }
    });

    it("shortens a title and a body longer than the providers allow, ending in …, on FCM and on APNs", async () => {
      const event = messageEvent({
        actor: { id: "u1", display_name: "Ä".repeat(300) },
        message: { id: "m", type: "text", text: "é".repeat(5000) },
      });
      await deliver(event, 2);
      const [fcm] = world.sims.received.forToken(bob.android as string);
      const [apns] = world.sims.received.forToken(carol.ios as string);
      const shown = [
        { provider: "FCM", alert: fcmPayload(fcm).notification, payload: fcm?.payload },
        { provider: "APNs", alert: apnsPayload(apns).aps.alert, payload: apns?.payload },
      ];
      for (const { provider, alert, payload } of shown) {
        const { title, body } = alert ?? { title: "", body: "" };
        expect(title, provider).to.match(/^Ä+…$/);
        expect(Buffer.byteLength(title), `${provider} title bytes`).to.be.at.most(250);
        expect(body, provider).to.match(/^é+…$/);
        expect(Buffer.byteLength(JSON.stringify(payload)), `${provider} payload bytes`).to.be.below(4096);
      }
    });

    it("rings calls on the VoIP token on iOS and as a high-priority data message on FCM", async () => {
      const event = {
        id: eventId(),
        type: "call.ringing",
        occurred_at: now(),
        actor: { id: "u1", display_name: "Alice" },
        channel: { id: "c1", member_ids: ["u1", "u2", "u3"] },
        call: { id: "call-1", kind: "video" },
      };
      await deliver(event, 2);
      expect(world.sims.received.forToken(carol.ios as string), "not the alert token").to.have.length(0);
      const [voip] = world.sims.received.forToken(carol.voip as string);
      expect(voip?.headers["apns-topic"]).to.equal(`${world.credentials.apns.bundleId}.voip`);
      expect(voip?.headers["apns-push-type"]).to.equal("voip");
      const message = fcmPayload(world.sims.received.forToken(bob.android as string)[0]);
      expect(message.notification).to.equal(undefined);
      expect(message.android?.priority).to.equal("high");
      expect(message.data).to.include({
        title: "Alice",
        body: "Incoming video call",
        event_type: "call.ringing",
      });
    });

    it("notifies nobody for channel.member_left and channel.deleted", async () => {
      for (const type of ["channel.member_left", "channel.deleted"]) {
        const event = { id: eventId(), type, occurred_at: now(), actor: { id: "u1" }, channel: { id: "c1" } };
        const status = await deliver(event, 0);
        expect(status).to.include({ status: "completed", recipients: 0 });
      }
      expect(world.sims.received.entries).to.have.length(0);
    });

    it("removes a token the provider reports dead", async () => {
      const dave = await userWithDevices(world.gw, world.app, "u4", { android: true, ios: true });
      const gina = await userWithDevices(world.gw, world.app, "u7", { android: true, ios: true });
      world.sims.scriptToken(dave.android as string, { kind: "dead" });
      world.sims.scriptToken(dave.ios as string, { kind: "dead" });
      world.sims.scriptToken(gina.android as string, { kind: "foreign" });
      world.sims.scriptToken(gina.ios as string, { kind: "foreign" });
      const event = messageEvent({ channel: { id: "c4", member_ids: ["u1", "u4", "u7"] } });
      const status = await deliver(event, 0);
      expect(status.deliveries).to.include({ invalid_tokens: 4, sent: 0 });
      for (const user of [dave, gina]) {
        const left = await devicesOf(world.gw, user.session);
        expect([...left.android, ...left.ios]).to.deep.equal([]);
      }
    });

    it("retries a flaky token alone, honouring Retry-After, and delivers it exactly once", async () => {
      const erin = await userWithDevices(world.gw, world.app, "u5", { android: true, ios: true });
      world.sims.scriptToken(erin.android as string, { kind: "flaky", failures: 2, status: 503 });
      world.sims.scriptToken(erin.ios as string, {
        kind: "flaky",
        failures: 1,
        status: 429,
        retryAfterSeconds: 1,
      });
      const event = messageEvent({ channel: { id: "c5", member_ids: ["u1", "u2", "u5"] } });
      const status = await deliver(event, 3);
      expect(status).to.include({ status: "completed" });
      expect(status.deliveries).to.include({ sent: 3, failed: 0, pending: 0 });
      expect(world.sims.received.forToken(erin.android as string)).to.have.length(1);
      expect(world.sims.received.forToken(erin.ios as string)).to.have.length(1);
      expect(
        world.sims.received.forToken(bob.android as string),
        "the healthy token is not retried",
      ).to.have.length(1);
      const retried = world.sims.received.forToken(erin.ios as string)[0]?.receivedAt.getTime() ?? 0;
      const first = world.sims.received.forToken(bob.android as string)[0]?.receivedAt.getTime() ?? 0;
      expect(retried - first, "Retry-After: 1").to.be.at.least(900);
    });

    it("routes apns_internal tokens to the sandbox and the others to production", async () => {
      const frank = await userWithDevices(world.gw, world.app, "u6", { ios: true, sandbox: true });
      const event = messageEvent({ channel: { id: "c6", member_ids: ["u1", "u3", "u6"] } });
      await deliver(event, 2);
      expect(world.sims.received.forToken(frank.ios as string)[0]?.simulator).to.equal("apns-sandbox");
      expect(world.sims.received.forToken(carol.ios as string)[0]?.simulator).to.equal("apns-production");
    });

    it("replays an event without sending twice to a token that already has it", async () => {
      const event = messageEvent();
      await deliver(event, 2);
      const replay = await world.gw.request("POST", `/v1/apps/${world.app.id}/events/${event.id}/replay`, {
        token: world.app.server_key,
      });
      expect(replay.status).to.equal(202);
      // The replay put the event back in the queue before answering: this is the replay's run completing,
      // and a run completes only once every send it makes is settled.
      const status = await waitForEvent(world.gw, world.app, event.id, (body) => body.status === "completed");
      expect(status.deliveries).to.include({ sent: 2, pending: 0 });
      expect(world.sims.received.entries).to.have.length(2);
    });

    it("replays an event to the tokens that failed, once the cause is fixed", async () => {
      const { app, credentials } = await createPushApp(world.gw, world.sims);
      const ios = await userWithDevices(world.gw, app, "r1", { ios: true });
      const apnsBlock = (apns: typeof credentials.apns) => ({
        apns: {
          team_id: apns.teamId,
          key_id: apns.keyId,
          private_key: apns.privateKey,
          bundle_id: apns.bundleId,
        },
      });
      const patch = (body: unknown) =>
        world.gw.request("PATCH", `/v1/apps/${app.id}`, { token: app.server_key, body });

      expect(
        (await patch(apnsBlock(generateAppCredentials().apns))).status,
        "a key APNs does not know",
      ).to.equal(200);
      const event = messageEvent({ actor: { id: "r0" }, channel: { id: "r", member_ids: ["r0", "r1"] } });
      expect((await postEvent(world.gw, app, event)).status).to.equal(202);
      const failed = await waitForEvent(world.gw, app, event.id);
      expect(failed.deliveries).to.include({ sent: 0, failed: 1 });

      await patch(apnsBlock(credentials.apns));
      await world.gw.request("POST", `/v1/apps/${app.id}/events/${event.id}/replay`, {
        token: app.server_key,
      });
      const replayed = await waitForEvent(
        world.gw,
        app,
        event.id,
        (body) => body.status === "completed" && (body.deliveries as { sent: number }).sent === 1,
      );
      expect(replayed.deliveries).to.include({ sent: 1, failed: 0 });
      expect(world.sims.received.forToken(ios.ios as string)).to.have.length(1);
    });
  });
