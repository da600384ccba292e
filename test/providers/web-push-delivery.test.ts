import { expect } from "chai";
import type { WebPushSubscription } from "../../src/simulators/simulators.js";
import { signIn } from "../devices/client.js";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { createPushApp, type PushWorld, startPushWorld, type TestApp } from "../support/push-world.js";

const subject = "mailto:ops@acme.example";

/** The key a browser passes to `pushManager.subscribe`. */
function vapidKey(app: TestApp): string {
  return (app.webpush as { vapid_public_key: string }).vapid_public_key;
}

describe("Web Push end to end (docs/api.md, Web Push)", function () {
  this.timeout(30_000);
  let world: PushWorld;
  let app: TestApp;

  before(async () => {
    world = await startPushWorld();
    ({ app } = await createPushApp(world.gw, world.sims, { webpush: { subject } }));
  });
  after(() => world?.close());
  beforeEach(() => world.sims.received.clear());

  async function subscribedUser(userId: string, target: TestApp = app): Promise<WebPushSubscription> {
    const subscription = world.sims.subscribeWebPush(vapidKey(target));
    const session = await signIn(world.gw, target, userId);
    const registered = await world.gw.request("POST", "/v1/users/@me/devices", {
      token: session.token,
      body: { provider: "webpush", subscription, device_id: `browser-${userId}` },
    });
    expect(registered.status, JSON.stringify(registered.body)).to.equal(204);
    return subscription;
  }

  async function deliver(target: TestApp, event: Record<string, unknown>) {
    expect((await postEvent(world.gw, target, event)).status).to.equal(202);
    return waitForEvent(world.gw, target, event.id as string);
  }

  it("generates the app's VAPID key pair and answers its public key for pushManager.subscribe", () => {
    expect(app.webpush).to.include({ configured: true, subject });
    expect(Buffer.from(vapidKey(app), "base64url")).to.have.length(65);
    expect(JSON.stringify(app)).not.to.include("private");
  });

  it("delivers the encrypted notification a browser decrypts, with TTL, Urgency and Topic", async () => {
    const subscription = await subscribedUser("u2");
    const session = await signIn(world.gw, app, "u2");
    const listed = await world.gw.request("GET", "/v1/users/@me/devices", { token: session.token });
    expect(listed.body.web).to.deep.equal([subscription.endpoint]);

    const event = messageEvent({ channel: { id: "c1", display_name: "Team", member_ids: ["u1", "u2"] } });
    const status = await deliver(app, event);

    expect(status.deliveries).to.include({ sent: 1, failed: 0 });
    const [received] = world.sims.received.forToken(subscription.endpoint);
    expect(received?.simulator).to.equal("webpush");
    expect(received?.sender).to.equal(subject);
    expect(received?.payload).to.deep.equal({
      title: "Alice (Team)",
      body: "hello",
      tag: event.id,
      data: { event_id: event.id, event_type: "message.created", channel_id: "c1", message_id: "m1" },
      badge: 1,
    });
    expect(received?.headers.urgency).to.equal("normal");
    expect(Number(received?.headers.ttl)).to.be.within(3500, 3600);
    expect(received?.headers.topic).to.match(/^[A-Za-z0-9_-]{1,32}$/);
  });

  it("removes a subscription the push service answers 410, and retries one answering 429 alone", async () => {
    const dead = await subscribedUser("u3");
    const flaky = await subscribedUser("u4");
    world.sims.scriptToken(dead.endpoint, { kind: "dead" });
    world.sims.scriptToken(flaky.endpoint, { kind: "flaky", failures: 1, status: 429 });

    const status = await deliver(
      app,
      messageEvent({ channel: { id: "c2", display_name: "Team", member_ids: ["u1", "u3", "u4"] } }),
    );

    expect(status.deliveries).to.include({ sent: 1, invalid_tokens: 1, failed: 0 });
    expect(world.sims.received.forToken(flaky.endpoint)).to.have.length(1);
    const u3 = await signIn(world.gw, app, "u3");
    const listed = await world.gw.request("GET", "/v1/users/@me/devices", { token: u3.token });
    expect(listed.body.web).to.deep.equal([]);
  });

  it("keeps the key pair when the subject changes, so browsers' subscriptions stay valid", async () => {
    const patched = await world.gw.request("PATCH", `/v1/apps/${app.id}`, {
      token: app.server_key,
      body: { webpush: { subject: "https://acme.example/contact" } },
    });
    expect(patched.status).to.equal(200);
    expect(patched.body.webpush).to.deep.equal({
      configured: true,
      subject: "https://acme.example/contact",
      vapid_public_key: vapidKey(app),
    });
  });

  it("answers 400 naming the field for a subscription without keys, bad keys, or an endpoint it does not allow", async () => {
    const session = await signIn(world.gw, app, "u5");
    const good = world.sims.subscribeWebPush(vapidKey(app));
    const register = (body: Record<string, unknown>) =>
      world.gw.request("POST", "/v1/users/@me/devices", {
        token: session.token,
        body: { provider: "webpush", ...body },
      });
    const cases: [Record<string, unknown>, string][] = [
      [{ subscription: { endpoint: good.endpoint } }, "subscription.keys"],
      [{ subscription: { ...good, keys: { ...good.keys, p256dh: "AAAA" } } }, "subscription.keys.p256dh"],
      [{ subscription: { ...good, keys: { ...good.keys, auth: "AAAA" } } }, "subscription.keys.auth"],
      [
        { subscription: { ...good, endpoint: good.endpoint.replace("https:", "http:") } },
        "subscription.endpoint",
      ],
      [{ subscription: { ...good, endpoint: "https://push.attacker.example/x" } }, "subscription.endpoint"],
      [{ token: good.endpoint }, "subscription"],
    ];
    for (const [body, field] of cases) {
      const answer = await register(body);
      expect(answer.status, field).to.equal(400);
      expect(answer.headers.get("content-type")).to.include("application/problem+json");
      expect(JSON.stringify(answer.body), field).to.include(`"${field}"`);
    }
  });

  it("takes an app's own key pair, and refuses one whose halves do not match", async () => {
    const other = await createPushApp(world.gw, world.sims, { webpush: { subject } });
    const mismatched = await world.gw.request("PATCH", `/v1/apps/${app.id}`, {
      token: app.server_key,
      body: {
        webpush: {
          subject,
          vapid_public_key: vapidKey(other.app),
          vapid_private_key: Buffer.alloc(32, 7).toString("base64url"),
        },
      },
    });
    expect(mismatched.status).to.equal(400);
    expect(JSON.stringify(mismatched.body)).to.include("webpush.vapid_private_key");
  });

  it("fails the sends of an app without Web Push credentials, and says why", async () => {
    const { app: bare } = await createPushApp(world.gw, world.sims, { webpush: { subject } });
    const subscription = await subscribedUser("u6", bare);
    await world.gw.request("PATCH", `/v1/apps/${bare.id}`, {
      token: bare.server_key,
      body: { webpush: null },
    });

    const status = await deliver(bare, messageEvent({ channel: { id: "c3", member_ids: ["u1", "u6"] } }));

    expect(status.deliveries).to.include({ sent: 0, failed: 1 });
    expect(world.sims.received.forToken(subscription.endpoint)).to.have.length(0);
  });
});
