import { expect } from "chai";
import { Webhook } from "standardwebhooks";
import { expoToken } from "../../src/simulators/device-tokens.js";
import { registered, signIn } from "../devices/client.js";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { createPushApp, type PushWorld, startPushWorld, userWithDevices } from "../support/push-world.js";
import {
  type Answer,
  type ReceivedDelivery,
  startReceiver,
  type WebhookReceiver,
} from "../support/webhook-receiver.js";

describe("status callbacks (docs/api.md, Status callbacks)", () => {
  let world: PushWorld;
  const receivers: WebhookReceiver[] = [];

  before(async () => {
    world = await startPushWorld({
      STATUS_CALLBACK_RETRY_BASE_MS: 100,
      WEBHOOK_DEFAULT_TIMEOUT_MS: 10_000,
      EXPO_RECEIPT_DELAY_SECONDS: 0,
    });
  });
  after(() => world.close());
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  });

  /** An app of its own whose status callbacks of `events` go to a new receiver answering as `answer` says. */
  async function appWithCallbacks(
    events: string[],
    answer: (delivery: ReceivedDelivery, index: number) => Answer = () => ({ status: 204 }),
  ) {
    const receiver = await startReceiver([], answer);
    receivers.push(receiver);
    const { app } = await createPushApp(world.gw, world.sims, {
      status_callback: { url: receiver.url, events },
    });
    receiver.secrets.push(app.webhook_secret);
    return { app, receiver };
  }

  it("tells the app which device lost a token a provider refused, signed with the webhook secret", async () => {
    const { app, receiver } = await appWithCallbacks(["device.token_removed"]);
    await userWithDevices(world.gw, app, "u1");
    const bob = await userWithDevices(world.gw, app, "u2");
    world.sims.scriptToken(bob.android as string, { kind: "dead" });

    const event = messageEvent({ channel: { id: "c1", display_name: "Team", member_ids: ["u1", "u2"] } });
    expect((await postEvent(world.gw, app, event)).status).to.equal(202);

    const [callback] = await receiver.waitFor(1);
    const headers = callback?.headers as Record<string, string>;
    expect(() => new Webhook(app.webhook_secret).verify(callback?.raw as string, headers)).not.to.throw();
    expect(callback?.body).to.deep.include({ type: "device.token_removed", app_id: app.id });
    expect(Date.parse(callback?.body.occurred_at)).to.be.closeTo(Date.now(), 10_000);
    expect(callback?.body.data).to.deep.equal({
      user_id: "u2",
      device_id: "android-u2",
      provider: "gcm",
      token: bob.android,
      reason: "invalid_token",
    });
    const status = await waitForEvent(world.gw, app, event.id);
    expect(status.deliveries).to.include({ invalid_tokens: 1 });
  });

  it("tells the app which device lost a token an Expo receipt said is dead", async () => {
    const { app, receiver } = await appWithCallbacks(["device.token_removed"]);
    const session = await signIn(world.gw, app, "u2");
    const token = expoToken();
    await registered(world.gw, session, { provider: "expo", token, platform: "ios", device_id: "expo-u2" });
    world.sims.expo.scriptReceipt(token, "DeviceNotRegistered");

    const event = messageEvent();
    await postEvent(world.gw, app, event);
    const status = await waitForEvent(world.gw, app, event.id);
    expect(status.deliveries, "the send itself was taken").to.include({ sent: 1, invalid_tokens: 0 });

    const [callback] = await receiver.waitFor(1);
    expect(callback?.verifiedWith).to.equal(0);
    expect(callback?.body.data).to.deep.equal({
      user_id: "u2",
      device_id: "expo-u2",
      provider: "expo",
      token,
      reason: "receipt",
    });
  });

  it("tells the app an event completed, with its counts", async () => {
    const { app, receiver } = await appWithCallbacks(["event.completed", "event.failed"]);
    await userWithDevices(world.gw, app, "u2");
    await userWithDevices(world.gw, app, "u3");

    const event = messageEvent();
    expect((await postEvent(world.gw, app, event)).status).to.equal(202);

    const [callback] = await receiver.waitFor(1);
    expect(callback?.verifiedWith).to.equal(0);
    expect(callback?.body).to.deep.include({ type: "event.completed", app_id: app.id });
    expect(callback?.body.data).to.deep.equal({
      event_id: event.id,
      event_type: "message.created",
      status: "completed",
      recipients: 2,
      suppressed: 0,
      deliveries: { sent: 2, failed: 0, invalid_tokens: 0, expired: 0 },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.deliveries, "one callback per run").to.have.length(1);
  });

  it("tells nothing the app did not ask for", async () => {
    const { app, receiver } = await appWithCallbacks(["event.failed"]);
    await userWithDevices(world.gw, app, "u2");
    const event = messageEvent();
    await postEvent(world.gw, app, event);
    await waitForEvent(world.gw, app, event.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.deliveries).to.have.length(0);
  });

  it("does not hold up notifications while the receiver hangs", async () => {
    const { app, receiver } = await appWithCallbacks(["event.completed"], () => ({ delayMs: 60_000 }));
    const bob = await userWithDevices(world.gw, app, "u2");

    const first = messageEvent();
    await postEvent(world.gw, app, first);
    await receiver.waitFor(1);
    world.sims.received.clear();

    // Held up, the second event would wait for most of the first callback's 10 s timeout.
    const heldUpMs = 8000;
    const second = messageEvent();
    const posted = Date.now();
    await postEvent(world.gw, app, second);
    const status = await waitForEvent(world.gw, app, second.id, undefined, heldUpMs);
    expect(status.status).to.equal("completed");
    await world.sims.received.waitFor(1);
    expect(world.sims.received.forToken(bob.android as string)).to.have.length(1);
    expect(Date.now() - posted).to.be.below(heldUpMs);
  });

  it("tries again, with the same webhook-id, when the receiver answers other than 2xx", async () => {
    const { app, receiver } = await appWithCallbacks(["event.completed"], (_delivery, index) =>
      index === 0 ? { status: 500 } : { status: 200 },
    );
    await userWithDevices(world.gw, app, "u2");
    await postEvent(world.gw, app, messageEvent());

    const [first, second] = await receiver.waitFor(2);
    expect(second?.headers["webhook-id"]).to.equal(first?.headers["webhook-id"]);
    expect(second?.raw).to.equal(first?.raw);
    expect(second?.verifiedWith).to.equal(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.deliveries, "a 2xx ends it").to.have.length(2);
  });
});
