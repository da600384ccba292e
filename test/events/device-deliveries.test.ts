import { expect } from "chai";
import type { DeviceDeliveryUpdate } from "../../src/domain/events/device-delivery.js";
import { registered, signIn } from "../devices/client.js";
import { signInToConsole } from "../support/console-session.js";
import { eventId, messageEvent, postEvent, waitForEvent } from "../support/events.js";
import {
  apnsToken,
  createPushApp,
  fcmToken,
  type PushWorld,
  startPushWorld,
  type TestApp,
} from "../support/push-world.js";

describe("per-device outcomes of an event (docs/api.md §8)", function () {
  this.timeout(30_000);
  let world: PushWorld;

  before(async () => {
    world = await startPushWorld();
  });
  after(() => world?.close());

  const deliveriesOf = (app: TestApp, id: string, query = "") =>
    world.gw.request("GET", `/v1/apps/${app.id}/events/${encodeURIComponent(id)}/deliveries${query}`, {
      token: app.server_key,
    });

  async function device(app: TestApp, userId: string, provider: "gcm" | "apns", token: string) {
    const session = await signIn(world.gw, app, userId);
    await registered(world.gw, session, { provider, token, device_id: `device-${userId}` });
  }

  it("records sent, dead, refused and retried tokens as the simulators answered them", async () => {
    const app = world.app;
    const [android, iphone, dead, refused, flaky] = [
      fcmToken(),
      apnsToken(),
      fcmToken(),
      "malformed-token",
      apnsToken(),
    ];
    await device(app, "u2", "gcm", android);
    await device(app, "u3", "apns", iphone);
    await device(app, "u4", "gcm", dead);
    await device(app, "u5", "gcm", refused);
    await device(app, "u6", "apns", flaky);
    world.sims.scriptToken(dead, { kind: "dead" });
    world.sims.scriptToken(flaky, { kind: "flaky", failures: 1, status: 503 });

    const event = messageEvent({ channel: { id: "c1", member_ids: ["u1", "u2", "u3", "u4", "u5", "u6"] } });
    expect((await postEvent(world.gw, app, event)).status).to.equal(202);
    await waitForEvent(world.gw, app, event.id);

    const answer = await deliveriesOf(app, event.id);
    expect(answer.status).to.equal(200);
    const byUser = Object.fromEntries(
      (answer.body.deliveries as { user_id: string; provider_error: string | null }[]).map((entry) => [
        entry.user_id,
        entry,
      ]),
    );
    expect(byUser.u2).to.deep.include({
      device_id: "device-u2",
      provider: "gcm",
      token: `…${android.slice(-8)}`,
      outcome: "sent",
      attempts: 1,
      provider_status: "200",
      provider_error: null,
    });
    expect(byUser.u3).to.deep.include({
      provider: "apns",
      outcome: "sent",
      attempts: 1,
      provider_status: "200",
    });
    expect(byUser.u4).to.deep.include({ outcome: "invalid_token", attempts: 1, provider_status: "404" });
    expect(byUser.u4?.provider_error).to.match(/registration-token-not-registered/);
    expect(byUser.u5).to.deep.include({ outcome: "failed", attempts: 1, provider_status: "400" });
    expect(byUser.u5?.provider_error).to.match(/not a valid FCM registration token/);
    expect(byUser.u6, "a 503, then sent on the retry").to.deep.include({
      outcome: "sent",
      attempts: 2,
      provider_status: "200",
    });
    expect(world.sims.received.forToken(flaky)).to.have.length(1);

    const failedOnly = await deliveriesOf(app, event.id, "?outcome=failed");
    expect(failedOnly.body.deliveries.map((entry: { user_id: string }) => entry.user_id)).to.deep.equal([
      "u5",
    ]);
    const ofUser = await deliveriesOf(app, event.id, "?user_id=u3");
    expect(ofUser.body.deliveries).to.have.length(1);
  });

  it("records a token still failing when the notification expires as expired, after each attempt", async () => {
    const { app } = await createPushApp(world.gw, world.sims, { notification_ttl_seconds: 1 });
    const failing = apnsToken();
    await device(app, "u7", "apns", failing);
    world.sims.scriptToken(failing, { kind: "flaky", failures: 1_000, status: 503 });

    const event = messageEvent({ channel: { id: "c2", member_ids: ["u1", "u7"] } });
    await postEvent(world.gw, app, event);
    await waitForEvent(world.gw, app, event.id);

    const [record] = (await deliveriesOf(app, event.id)).body.deliveries;
    expect(record).to.deep.include({ outcome: "expired", provider_status: "503" });
    expect(record.attempts).to.be.at.least(2);
  });

  it("records the answers of an outage of both providers, then each device's one delivery after it", async () => {
    const { app } = await createPushApp(world.gw, world.sims);
    const [android, iphone] = [fcmToken(), apnsToken()];
    await device(app, "u8", "gcm", android);
    await device(app, "u9", "apns", iphone);
    const event = messageEvent({ channel: { id: "c3", member_ids: ["u1", "u8", "u9"] } });

    // 429, which firebase-admin does not retry itself: the pipeline sees each answer at once.
    world.sims.outage({ status: 429 });
    try {
      expect((await postEvent(world.gw, app, event)).status).to.equal(202);
      const deadline = Date.now() + 10_000;
      let records: { outcome: string; provider_status: string }[] = [];
      while (records.filter((record) => record.provider_status === "429").length < 2) {
        if (Date.now() > deadline)
          throw new Error(`no 429 recorded for both devices: ${JSON.stringify(records)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        records = (await deliveriesOf(app, event.id)).body.deliveries;
      }
      expect(records.map((record) => record.outcome)).to.deep.equal(["pending", "pending"]);
      expect(world.sims.received.forToken(android)).to.have.length(0);
      expect(world.sims.received.forToken(iphone)).to.have.length(0);
    } finally {
      world.sims.outage(null);
    }

    expect((await waitForEvent(world.gw, app, event.id)).deliveries).to.include({ sent: 2, pending: 0 });
    for (const record of (await deliveriesOf(app, event.id)).body.deliveries) {
      expect(record).to.deep.include({ outcome: "sent", provider_status: "200" });
      expect(record.attempts).to.be.at.least(2);
    }
    expect(world.sims.received.forToken(android)).to.have.length(1);
    expect(world.sims.received.forToken(iphone)).to.have.length(1);
  });

  it("pages through 1,000 records in token order, each once", async () => {
    const app = world.app;
    const event = messageEvent({ id: eventId(), channel: { id: "empty", member_ids: ["u1"] } });
    await postEvent(world.gw, app, event);
    await waitForEvent(world.gw, app, event.id);
    const updates: DeviceDeliveryUpdate[] = Array.from({ length: 1000 }, (_, index) => ({
      token: `token-${String(index).padStart(4, "0")}`,
      userId: `user-${index}`,
      deviceId: `device-${index}`,
      provider: "gcm",
      outcome: index % 10 === 0 ? "failed" : "sent",
      sent: true,
      providerStatus: "200",
      providerError: null,
      at: new Date(),
    }));
    await world.gw.gateway.store.deviceDeliveries.record(app.id, event.id, 0, updates);

    const seen: string[] = [];
    let cursor: string | null = "";
    let pages = 0;
    while (cursor !== null) {
      const page = await deliveriesOf(app, event.id, `?limit=100${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status).to.equal(200);
      seen.push(...page.body.deliveries.map((entry: { user_id: string }) => entry.user_id));
      cursor = page.body.next_cursor;
      pages++;
    }
    expect(seen).to.have.length(1000);
    expect(new Set(seen).size).to.equal(1000);
    expect(pages).to.equal(11);
    const failed = await deliveriesOf(app, event.id, "?outcome=failed&limit=500");
    expect(failed.body.deliveries).to.have.length(100);
  });

  it("lists them on the event's console page, filterable by outcome", async () => {
    const app = world.app;
    const token = fcmToken();
    await device(app, "u8", "gcm", token);
    const event = messageEvent({ channel: { id: "c3", member_ids: ["u1", "u8"] } });
    await postEvent(world.gw, app, event);
    await waitForEvent(world.gw, app, event.id);
    const { cookie } = await signInToConsole(world.gw.url, world.gw.adminToken);
    const page = (query: string) =>
      fetch(`${world.gw.url}/console/apps/${app.id}/events/${encodeURIComponent(event.id)}${query}`, {
        headers: { cookie },
      }).then((answer) => answer.text());

    const all = await page("");
    expect(all)
      .to.include("Per device")
      .and.include(`…${token.slice(-8)}`)
      .and.include("device-u8");
    expect(await page("?outcome=failed")).to.include("No device with outcome failed");
  });

  it("answers 400 naming the field for a bad outcome, limit or cursor, and 404 for an unknown event", async () => {
    const app = world.app;
    const event = messageEvent();
    await postEvent(world.gw, app, event);
    for (const [query, field] of [
      ["?outcome=lost", "outcome"],
      ["?limit=0", "limit"],
      ["?limit=501", "limit"],
      ["?cursor=not-a-cursor", "cursor"],
      ["?colour=red", ""],
    ]) {
      const answer = await deliveriesOf(app, event.id, query);
      expect(answer.status, query).to.equal(400);
      expect(JSON.stringify(answer.body), query).to.include(field);
    }
    expect((await deliveriesOf(app, "evt_nope")).status).to.equal(404);
  });
});
