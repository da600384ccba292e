import { expect } from "chai";
import { eventId, messageEvent, postEvent, waitForEvent } from "../support/events.js";
import {
  createPushApp,
  fcmPayload,
  fcmToken,
  type PushWorld,
  startPushWorld,
  type TestApp,
  userWithDevices,
} from "../support/push-world.js";
import {
  type Answer,
  type ReceivedDelivery,
  startReceiver,
  type WebhookReceiver,
} from "../support/webhook-receiver.js";

const deliveryPaths = [
  { path: "the webhook job sending small audiences itself", settings: {} },
  { path: "through delivery jobs", settings: { INLINE_DELIVERY_MAX_RECIPIENTS: 0 } },
];

for (const { path, settings } of deliveryPaths)
  describe(`webhook mode, ${path}`, () => {
    let world: PushWorld;
    const receivers: WebhookReceiver[] = [];

    before(async () => {
      world = await startPushWorld({
        RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE: 100_000,
        RATE_LIMIT_DEVICE_WRITES_PER_MINUTE: 1000,
        ...settings,
      });
    });
    after(async () => {
      await Promise.all(receivers.map((receiver) => receiver.close()));
      await world.close();
    });
    beforeEach(() => world.sims.received.clear());

    /** An app in webhook mode whose customer answers with `answer`; users u1 (actor), u2, u3 with Android devices. */
    async function customer(
      answer: (delivery: ReceivedDelivery, index: number) => Answer,
      webhook: Record<string, unknown> = {},
      appFields: Record<string, unknown> = {},
    ) {
      const receiver = await startReceiver([], answer);
      receivers.push(receiver);
      const { app } = await createPushApp(world.gw, world.sims, {
        mode: "webhook",
        webhook: { url: receiver.url, ...webhook },
        ...appFields,
      });
      receiver.secrets.push(app.webhook_secret);
      const tokens: Record<string, string> = {};
      for (const userId of ["u1", "u2", "u3"]) {
        tokens[userId] = (await userWithDevices(world.gw, app, userId, { android: true })).android as string;
      }
      return { app, receiver, tokens };
    }

    async function run(app: TestApp, event: Record<string, unknown>) {
      expect((await postEvent(world.gw, app, event)).status).to.equal(202);
      return waitForEvent(world.gw, app, event.id as string);
    }

    const reachedTokens = (tokens: Record<string, string>) =>
      Object.keys(tokens).filter((user) => world.sims.received.forToken(tokens[user] as string).length > 0);

    it("forwards the event, proposed notification and recipients, signed per Standard Webhooks; send sends them", async () => {
      const { app, receiver, tokens } = await customer(() => ({ body: { action: "send" } }));
      const event = messageEvent();
      const status = await run(app, event);
      const [delivery] = receiver.deliveries;
      expect(delivery?.verifiedWith, "standardwebhooks verifies the signature").to.equal(0);
      expect(delivery?.headers["content-type"]).to.equal("application/json");
      expect(delivery?.headers["user-agent"]).to.match(/^pushgate\/\d+\.\d+\.\d+$/);
      expect(delivery?.body.event).to.deep.equal(event);
      expect(delivery?.body.notification).to.deep.include({ title: "Alice (Team)", body: "hello" });
      expect(delivery?.body.notification.data).to.include({ event_id: event.id, channel_id: "c1" });
      expect(delivery?.body.recipient_ids).to.have.members(["u2", "u3"]);

      expect(status).to.include({ status: "completed", mode: "webhook", recipients: 2 });
      expect(status.webhook.outcome).to.equal("send");
      expect(status.webhook.attempts).to.have.length(1);
      expect(status.webhook.attempts[0]).to.include({ status_code: 200, error: null });
      expect(status.webhook.attempts[0].duration_ms).to.be.a("number");
      expect(status.deliveries.sent).to.equal(2);
      expect(reachedTokens(tokens)).to.have.members(["u2", "u3"]);
    });

    it("forwards the live event as sent, with the fields Pushgate does not read at every level", async () => {
      const { app, receiver } = await customer(() => ({ body: { action: "drop" } }));
      const event = messageEvent({
        actor: { id: "u1", display_name: "Alice", avatar_url: "https://cdn.example.com/a.png" },
        channel: { id: "c1", display_name: "Team", member_ids: ["u1", "u2"], topic: "release" },
        message: { id: "m1", type: "image", text: "look", attachments: [{ kind: "image", size: 1234 }] },
        thread: { id: "t1" },
      });
      await run(app, event);
      expect(receiver.deliveries[0]?.body.event).to.deep.equal(event);
    });

    it("states each recipient's own locale (silent ones too, not a device's) and the app's default", async () => {
      const { app, receiver } = await customer(
        () => ({ body: { action: "drop" } }),
        {},
        { default_locale: "de", quiet_delivery: "silent" },
      );
      const settings = async (
        userId: string,
        body: Record<string, unknown>,
        device?: Record<string, unknown>,
      ) => {
        const { session } = await userWithDevices(world.gw, app, userId, {});
        const put = await world.gw.request("PUT", "/v1/users/@me/notification-settings", {
          token: session.token,
          body,
        });
        expect(put.status, JSON.stringify(put.body)).to.equal(200);
        if (device) {
          const posted = await world.gw.request("POST", "/v1/users/@me/devices", {
            token: session.token,
            body: device,
          });
          expect(posted.status, JSON.stringify(posted.body)).to.equal(204);
        }
      };
      await settings("u2", { locale: "fr" });
      await settings("u4", { locale: "ja", snoozed_until: "2099-01-01T00:00:00Z" });
      await settings("u5", { locale: "es", enabled: false });
      // u3's device has a language, but the user none of their own: the app's default is theirs.
      await settings(
        "u3",
        {},
        { provider: "gcm", token: fcmToken(), device_id: "android-u3-it", locale: "it" },
      );

      await run(app, messageEvent({ channel: { id: "c1", member_ids: ["u1", "u2", "u3", "u4", "u5"] } }));
      const body = receiver.deliveries[0]?.body;
      expect(body.recipient_ids).to.have.members(["u2", "u3", "u4"]);
      expect(body.silent_recipient_ids).to.deep.equal(["u4"]);
      expect(body.recipient_locales).to.deep.equal({ u2: "fr", u4: "ja" });
      expect(body.default_locale).to.equal("de");
    });

    it("sends the customer's edit: given fields replace the proposed ones, toggles still apply", async () => {
      const { app, tokens } = await customer(() => ({
        body: {
          action: "send",
          notification: { title: "Edited", data: { route: "/x" } },
          recipient_ids: ["u1", "u3", "u2"],
        },
      }));
      await world.gw.request("PUT", `/v1/apps/${app.id}/users/u2/notification-settings`, {
        token: app.server_key,
        body: { enabled: false },
      });
      const status = await run(app, messageEvent());
      expect(status.webhook.outcome).to.equal("edited");
      expect(status).to.include({ recipients: 2, suppressed: 1 });
      expect(status.suppressed_by).to.deep.equal({ user: 1 });
      expect(reachedTokens(tokens), "not the actor, not the user who turned push off").to.deep.equal(["u3"]);
      const message = fcmPayload(world.sims.received.forToken(tokens.u3 as string)[0]);
      expect(message.notification).to.deep.equal({ title: "Edited", body: "hello" });
      expect(message.data).to.include({ route: "/x", event_type: "message.created" });
    });

    for (const [label, answer] of [
      ["drop", { body: { action: "drop" } }],
      ["an empty 2xx", { status: 200 }],
      ["204", { status: 204 }],
    ] as const) {
      it(`sends nothing when the customer answers ${label}`, async () => {
        const { app, tokens } = await customer(() => answer);
        const status = await run(app, messageEvent());
        expect(status.webhook.outcome).to.equal("dropped");
        expect(status.deliveries.sent).to.equal(0);
        expect(reachedTokens(tokens)).to.deep.equal([]);
      });
    }

    it("records an unusable 2xx answer, does not retry, and applies the fallback both ways", async () => {
      const dropping = await customer(() => ({ body: { action: "maybe" } }));
      const dropped = await run(dropping.app, messageEvent());
      expect(dropped.webhook.outcome).to.equal("fallback_drop");
      expect(dropped.webhook.attempts).to.have.length(1);
      expect(dropped.webhook.attempts[0].error).to.match(/not send\/drop/);
      expect(dropping.receiver.deliveries).to.have.length(1);

      const sending = await customer(
        () => ({ body: "<html>ok</html>", headers: { "content-type": "text/html" } }),
        {
          fallback: "send",
        },
      );
      const sent = await run(sending.app, messageEvent());
      expect(sent.webhook.outcome).to.equal("fallback_send");
      expect(sent.webhook.attempts[0].error).to.equal("the answer is not JSON");
      expect(reachedTokens(sending.tokens)).to.have.members(["u2", "u3"]);
    });

    it("retries a failed call with the same webhook-id and a fresh timestamp, honouring Retry-After", async () => {
      const { app, receiver } = await customer((_delivery, index) =>
        index === 0 ? { status: 503, headers: { "retry-after": "1" } } : { body: { action: "send" } },
      );
      const status = await run(app, messageEvent());
      const [first, second] = receiver.deliveries;
      expect(second?.headers["webhook-id"]).to.equal(first?.headers["webhook-id"]);
      expect(second?.headers["webhook-timestamp"]).to.not.equal(first?.headers["webhook-timestamp"]);
      expect(second?.verifiedWith).to.equal(0);
      expect((second?.at ?? 0) - (first?.at ?? 0)).to.be.at.least(950);
      expect(status.webhook.outcome).to.equal("send");
      expect(
        status.webhook.attempts.map((attempt: { status_code: number }) => attempt.status_code),
      ).to.deep.equal([503, 200]);
    });

    it("retries timeouts until the TTL runs out, then applies the fallback", async () => {
      const { app, receiver, tokens } = await customer(
        () => ({ delayMs: 600, body: { action: "send" } }),
        // Seconds of TTL, so that a slow pickup of the first call still leaves time for a retry.
        { timeout_ms: 300, fallback: "send" },
        { notification_ttl_seconds: 4 },
      );
      const status = await run(app, messageEvent());
      expect(receiver.deliveries.length).to.be.at.least(2);
      expect(status.webhook.outcome).to.equal("fallback_send");
      expect(
        status.webhook.attempts.every((attempt: { error: string }) => /timeout/.test(attempt.error)),
      ).to.equal(true);
      expect(reachedTokens(tokens)).to.have.members(["u2", "u3"]);

      const failing = await customer(() => ({ status: 500 }), {}, { notification_ttl_seconds: 1 });
      const dropped = await run(failing.app, messageEvent());
      expect(dropped.webhook.outcome).to.equal("fallback_drop");
      expect(reachedTokens(failing.tokens)).to.deep.equal([]);
    });

    it("forwards every event type, with notification null when it notifies nobody; the customer may still send", async () => {
      const { app, receiver, tokens } = await customer((delivery) =>
        delivery.body.notification === null
          ? {
              body: {
                action: "send",
                notification: { title: "Channel closed", body: "Bye" },
                recipient_ids: ["u2"],
              },
            }
          : { body: { action: "drop" } },
      );
      const event = {
        id: eventId(),
        type: "channel.deleted",
        occurred_at: new Date().toISOString(),
        actor: { id: "u1" },
        channel: { id: "c1" },
      };
      const status = await run(app, event);
      expect(receiver.deliveries[0]?.body).to.deep.include({ notification: null, recipient_ids: [] });
      expect(status.webhook.outcome).to.equal("edited");
      expect(reachedTokens(tokens)).to.deep.equal(["u2"]);
    });

    it("signs with both webhook secrets during a rotation", async () => {
      const { app, receiver } = await customer(() => ({ body: { action: "drop" } }));
      const rotated = await world.gw.request("POST", `/v1/apps/${app.id}/secrets/webhook-secret/rotate`, {
        token: app.server_key,
      });
      receiver.secrets.splice(0, 1, rotated.body.secret);
      await run(app, messageEvent());
      const signatures = String(receiver.deliveries[0]?.headers["webhook-signature"]).split(" ");
      expect(signatures).to.have.length(2);
      expect(receiver.deliveries[0]?.verifiedWith, "the new secret verifies").to.equal(0);
      receiver.secrets.splice(0, 1, app.webhook_secret);
      await run(app, messageEvent());
      expect(receiver.deliveries[1]?.verifiedWith, "the old one too").to.equal(0);
    });

    it("replays an event, and the events of a time range in the state asked for", async () => {
      const { app, receiver } = await customer(() => ({ body: { action: "drop" } }));
      const before = messageEvent();
      await run(app, before);
      const since = new Date().toISOString();
      const first = messageEvent();
      const second = messageEvent();
      const failed = messageEvent();
      await run(app, first);
      await run(app, second);
      await run(app, failed);
      await world.gw.gateway.store.events.markFailed(app.id, failed.id, 0, "a stage kept failing");
      const one = await world.gw.request("POST", `/v1/apps/${app.id}/events/${first.id}/replay`, {
        token: app.server_key,
      });
      expect(one.status).to.equal(202);
      await receiver.waitFor(5);
      await waitForEvent(world.gw, app, first.id, (body) => body.status === "completed");
      const range = await world.gw.request("POST", `/v1/apps/${app.id}/events/replay`, {
        token: app.server_key,
        body: { status: "completed", since, until: new Date().toISOString() },
      });
      expect(range.status).to.equal(202);
      expect(range.body.ids, "completed, and received in the range").to.have.members([first.id, second.id]);
      await receiver.waitFor(7);
      const replayed = await waitForEvent(world.gw, app, second.id, (body) => body.status === "completed");
      expect(replayed.webhook.attempts.map((attempt: { run: number }) => attempt.run)).to.deep.equal([0, 1]);
      for (const id of [before.id, failed.id]) {
        const left = await waitForEvent(world.gw, app, id);
        expect(
          left.webhook.attempts.map((attempt: { run: number }) => attempt.run),
          id,
        ).to.deep.equal([0]);
      }
      const ids = new Set(receiver.deliveries.map((delivery) => delivery.headers["webhook-id"]));
      expect(ids.size, "a replay is a new delivery").to.equal(7);
    });
  });
