import type { ChildProcess } from "node:child_process";
import { expect } from "chai";
import { deviceTray } from "../../src/simulators/device-tray.js";
import {
  type ReceivedNotification,
  type Simulators,
  startSimulators,
} from "../../src/simulators/simulators.js";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { killed, startWorkerProcess } from "../support/gateway-process.js";
import {
  createPushApp,
  type PushWorld,
  startPushWorld,
  type TestApp,
  type UserDevices,
  userWithDevices,
} from "../support/push-world.js";
import { startTestGateway, type TestGateway } from "../support/test-gateway.js";

const channel = { id: "c1", display_name: "Team", member_ids: ["u1", "u2"] };

function message(index: number, overrides: Record<string, unknown> = {}) {
  return messageEvent({
    channel,
    message: { id: `m${index}`, type: "text", text: `hello ${index}` },
    ...overrides,
  });
}

/** An FCM message's `android` block without its `ttl`, which depends on the time it was sent. */
function androidConfig(received: ReceivedNotification | undefined): Record<string, unknown> {
  const { ttl: _ttl, ...config } = (received?.payload.android ?? {}) as Record<string, unknown>;
  return config;
}

async function deliver(gw: TestGateway, app: TestApp, event: Record<string, unknown>) {
  const accepted = await postEvent(gw, app, event);
  expect(accepted.status, JSON.stringify(accepted.body)).to.equal(202);
  return waitForEvent(gw, app, event.id as string);
}

describe("bursts: one buzz per burst of a channel's messages (docs/api.md, Bursts)", function () {
  this.timeout(60_000);
  let world: PushWorld;
  let app: TestApp;
  let bob: UserDevices;

  before(async () => {
    world = await startPushWorld();
    ({ app } = await createPushApp(world.gw, world.sims, { burst_window_seconds: 60, badge: "off" }));
    await userWithDevices(world.gw, app, "u1", { android: true });
    bob = await userWithDevices(world.gw, app, "u2", { android: true, ios: true });
  });
  after(() => world?.close());
  beforeEach(() => world.sims.received.clear());

  const bobs = (device: "android" | "ios") => world.sims.received.forToken(bob[device] as string);

  it("gives a burst of 20 messages one sound and leaves one notification that says 20", async () => {
    const statuses = [];
    for (let index = 1; index <= 20; index++) statuses.push(await deliver(world.gw, app, message(index)));

    for (const device of ["android", "ios"] as const) {
      const tray = deviceTray(bobs(device));
      expect(tray.sounds, device).to.equal(1);
      expect(tray.shown, device).to.deep.equal([
        { title: "Alice (Team)", body: "20 new messages", collapseId: "channel:c1" },
      ]);
    }
    expect(statuses.map((status) => status.deliveries.folded)).to.deep.equal([0, ...Array(19).fill(2)]);
    expect(statuses.every((status) => status.deliveries.sent === 2)).to.equal(true);
  });

  it("sends the exact APNs and FCM fields: the first with sound, the next ones replacing it without", async () => {
    await deliver(world.gw, app, message(1, { channel: { ...channel, id: "c2" } }));
    await deliver(world.gw, app, message(2, { channel: { ...channel, id: "c2" } }));

    const [firstIos, nextIos] = bobs("ios");
    expect(firstIos?.headers).to.include({ "apns-collapse-id": "channel:c2", "apns-push-type": "alert" });
    expect(firstIos?.payload.aps).to.deep.equal({
      alert: { title: "Alice (Team)", body: "hello 1" },
      sound: "default",
      "thread-id": "c2",
    });
    expect(nextIos?.headers).to.include({ "apns-collapse-id": "channel:c2", "apns-push-type": "alert" });
    expect(nextIos?.payload.aps).to.deep.equal({
      alert: { title: "Alice (Team)", body: "2 new messages" },
      "thread-id": "c2",
    });

    const [firstAndroid, nextAndroid] = bobs("android");
    expect(androidConfig(firstAndroid)).to.deep.equal({
      priority: "high",
      notification: { tag: "channel:c2" },
    });
    expect(androidConfig(nextAndroid)).to.deep.equal({
      priority: "high",
      notification: { tag: "channel:c2", notification_priority: "PRIORITY_LOW" },
    });
    expect(nextAndroid?.payload.notification).to.deep.equal({
      title: "Alice (Team)",
      body: "2 new messages",
    });
    expect(nextAndroid?.payload.apns).to.deep.equal({ headers: { "apns-collapse-id": "channel:c2" } });
  });

  it("lets a mention inside a burst sound, as a notification of its own", async () => {
    const c3 = { ...channel, id: "c3" };
    await deliver(world.gw, app, message(1, { channel: c3 }));
    await deliver(world.gw, app, message(2, { channel: c3 }));
    const mention = message(3, {
      channel: c3,
      message: { id: "m3", type: "text", text: "@bob look", mentioned_user_ids: ["u2"] },
    });
    const status = await deliver(world.gw, app, mention);
    await deliver(world.gw, app, message(4, { channel: c3 }));

    expect(status.deliveries.folded).to.equal(0);
    for (const device of ["android", "ios"] as const) {
      const tray = deviceTray(bobs(device));
      expect(tray.sounds, device).to.equal(2);
      expect(
        tray.shown.map((entry) => entry.body),
        device,
      ).to.deep.equal(["@bob look", "3 new messages"]);
    }
  });

  it("starts a new burst, with sound, once the window has passed", async () => {
    // Long enough for message 2 to fall inside it on a slow machine.
    const windowMs = 3000;
    const { app: quick } = await createPushApp(world.gw, world.sims, {
      burst_window_seconds: windowMs / 1000,
      badge: "off",
    });
    const carol = await userWithDevices(world.gw, quick, "u2", { ios: true });
    await deliver(world.gw, quick, message(1));
    await deliver(world.gw, quick, message(2));
    const [first] = world.sims.received.forToken(carol.ios as string);
    // The burst was counted before its first notification reached the simulator.
    const windowEnded = (first?.receivedAt.getTime() ?? 0) + windowMs + 100;
    await new Promise((resolve) => setTimeout(resolve, windowEnded - Date.now()));
    await deliver(world.gw, quick, message(3));

    const tray = deviceTray(world.sims.received.forToken(carol.ios as string));
    expect(tray.sounds).to.equal(2);
    expect(tray.shown.map((entry) => entry.body)).to.deep.equal(["hello 3"]);
  });

  it("folds nothing when the window is 0, the default", async () => {
    const { app: plain } = await createPushApp(world.gw, world.sims, { badge: "off" });
    expect(plain.burst_window_seconds).to.equal(0);
    const dave = await userWithDevices(world.gw, plain, "u2", { ios: true });
    await deliver(world.gw, plain, message(1));
    await deliver(world.gw, plain, message(2));

    const tray = deviceTray(world.sims.received.forToken(dave.ios as string));
    expect(tray.sounds).to.equal(2);
    expect(tray.shown.map((entry) => entry.body)).to.deep.equal(["hello 1", "hello 2"]);
  });

  it("answers 400 naming burst_window_seconds for a window that is negative, fractional or over an hour", async () => {
    for (const window of [-1, 1.5, 3601, "60"]) {
      const answer = await world.gw.request("PATCH", `/v1/apps/${app.id}`, {
        token: app.server_key,
        body: { burst_window_seconds: window },
      });
      expect(answer.status, String(window)).to.equal(400);
      expect(JSON.stringify(answer.body), String(window)).to.include("burst_window_seconds");
    }
    const ok = await world.gw.request("PATCH", `/v1/apps/${app.id}`, {
      token: app.server_key,
      body: { burst_window_seconds: 3600 },
    });
    expect(ok.body).to.include({ burst_window_seconds: 3600 });
  });
});

describe("bursts across worker processes", function () {
  this.timeout(120_000);
  let sims: Simulators;
  let gw: TestGateway;
  const workers: ChildProcess[] = [];

  before(async () => {
    sims = await startSimulators();
    gw = await startTestGateway({ ...sims.env, PUSHGATE_ROLE: "api" });
  });
  after(async () => {
    await Promise.all(workers.map((worker) => killed(worker)));
    await gw?.close();
    await sims?.close();
  });

  it("two worker processes share one burst: one sound, each count once", async () => {
    workers.push(
      startWorkerProcess(gw.settings, { EVENT_WORKER_CONCURRENCY: "2" }),
      startWorkerProcess(gw.settings, { EVENT_WORKER_CONCURRENCY: "2" }),
    );
    const { app } = await createPushApp(gw, sims, { burst_window_seconds: 60, badge: "off" });
    const bob = await userWithDevices(gw, app, "u2", { ios: true });
    const events = Array.from({ length: 12 }, (_, index) => message(index + 1));

    for (const event of events) expect((await postEvent(gw, app, event)).status).to.equal(202);
    const statuses = await Promise.all(
      events.map((event) => waitForEvent(gw, app, event.id, undefined, 60_000)),
    );

    const received = sims.received.forToken(bob.ios as string);
    expect(deviceTray(received).sounds).to.equal(1);
    const bodies = received
      .map((entry) => (entry.payload.aps as { alert: { body: string } }).alert.body)
      .sort();
    const folded = Array.from({ length: 11 }, (_, index) => `${index + 2} new messages`).sort();
    expect(bodies.filter((body) => body.startsWith("hello"))).to.have.length(1);
    expect(bodies.filter((body) => !body.startsWith("hello"))).to.deep.equal(folded);
    expect(statuses.reduce((sum, status) => sum + status.deliveries.folded, 0)).to.equal(11);
  });
});
