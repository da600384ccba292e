import { setTimeout as sleep } from "node:timers/promises";
import { Queue } from "bullmq";
import { expect } from "chai";
import { Redis } from "ioredis";
import { createLogger } from "../../src/observability/logger.js";
import { queueNames } from "../../src/queue/queues.js";
import { Gateway } from "../../src/runtime/gateway.js";
import { type Simulators, startSimulators } from "../../src/simulators/simulators.js";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { createPushApp, type UserDevices, userWithDevices } from "../support/push-world.js";
import { startTestGateway, type TestGateway, testRedisUrl } from "../support/test-gateway.js";

type PushApp = Awaited<ReturnType<typeof createPushApp>>["app"];

/** Resolves once no job of the gateway's event and delivery queues is waiting, delayed or running. */
async function queuesDrained(prefix: string, timeoutMs = 15_000): Promise<void> {
  const connection = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  const queues = [queueNames.events, queueNames.deliveries].map(
    (name) => new Queue(name, { connection, prefix }),
  );
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await Promise.all(
        queues.map((queue) => queue.getJobCounts("waiting", "active", "delayed", "prioritized")),
      );
      const open = counts.flatMap((count) => Object.values(count)).reduce((sum, n) => sum + n, 0);
      if (open === 0) return;
      if (Date.now() > deadline) throw new Error(`${open} jobs still open after ${timeoutMs} ms`);
      await sleep(50);
    }
  } finally {
    await Promise.all(queues.map((queue) => queue.close()));
    connection.disconnect();
  }
}

describe("deleting an app", function () {
  this.timeout(60_000);
  let sims: Simulators;
  let gw: TestGateway;
  let worker: Gateway | undefined;

  before(async () => {
    sims = await startSimulators();
    // No worker: the test decides when events are processed.
    gw = await startTestGateway({ ...sims.env, PUSHGATE_ROLE: "api" });
  });
  after(async () => {
    await worker?.close();
    await gw.close();
    await sims.close();
  });

  async function appWithUsers(): Promise<{ app: PushApp; alice: UserDevices; bob: UserDevices }> {
    const { app } = await createPushApp(gw, sims, { require_auth_token: false });
    const alice = await userWithDevices(gw, app, "u1", { android: true, ios: true });
    const bob = await userWithDevices(gw, app, "u2", { android: true });
    return { app, alice, bob };
  }

  it("removes its sessions, devices, settings and members; none of its credentials opens anything", async () => {
    const doomed = await appWithUsers();
    const kept = await appWithUsers();
    const { app, bob } = doomed;
    const asServer = { token: app.server_key };
    await gw.request("PUT", `/v1/apps/${app.id}/users/u2/notification-settings`, {
      ...asServer,
      body: { enabled: false },
    });
    await gw.request("PUT", `/v1/apps/${app.id}/channels/c1/members`, {
      ...asServer,
      body: { member_ids: ["u1", "u2"] },
    });

    expect((await gw.request("DELETE", `/v1/apps/${app.id}`, { token: gw.adminToken })).status).to.equal(204);

    const { store } = gw.gateway;
    expect(await store.tokens.tokensOf(app.id, ["u1", "u2"]), "devices").to.deep.equal([]);
    expect(await store.sessions.findByToken(bob.session.token, new Date()), "sessions").to.equal(null);
    expect((await store.notificationSettings.userSettings(app.id, "u2")).enabled, "settings").to.equal(true);
    expect(await store.channels.members(app.id, "c1"), "members").to.deep.equal([]);

    const devices = await gw.request("GET", "/v1/users/@me/devices", { token: bob.session.token });
    expect(devices.status, "a session of the deleted app").to.equal(401);
    expect(devices.headers.get("content-type")).to.match(/^application\/problem\+json/);
    const signIn = await gw.request("POST", "/v1/sessions", {
      headers: { "x-api-key": app.api_key },
      body: { user_id: "u2" },
    });
    expect(signIn.status, "its API key").to.equal(401);
    expect((await gw.request("GET", `/v1/apps/${app.id}`, asServer)).status, "its server key").to.equal(401);
    expect((await postEvent(gw, app, messageEvent())).status, "its event source").to.equal(404);
    const asAdmin = { token: gw.adminToken };
    expect((await gw.request("GET", `/v1/apps/${app.id}/events`, asAdmin)).status).to.equal(404);

    expect(await store.tokens.tokensOf(kept.app.id, ["u1", "u2"]), "another app's devices").to.have.length(3);
    const keptDevices = await gw.request("GET", "/v1/users/@me/devices", { token: kept.bob.session.token });
    expect(keptDevices.body.android).to.deep.equal([kept.bob.android]);
  });

  it("sends nothing for an event it accepted before the deletion", async () => {
    const { app, alice, bob } = await appWithUsers();
    const before = messageEvent({ actor: { id: "u1" }, channel: { id: "c1", member_ids: ["u1", "u2"] } });
    expect((await postEvent(gw, app, before)).status).to.equal(202);
    expect((await gw.request("DELETE", `/v1/apps/${app.id}`, { token: gw.adminToken })).status).to.equal(204);

    const witness = await appWithUsers();
    const after = messageEvent({ actor: { id: "u1" }, channel: { id: "c1", member_ids: ["u1", "u2"] } });
    expect((await postEvent(gw, witness.app, after)).status).to.equal(202);

    worker = await Gateway.start({ ...gw.settings, PUSHGATE_ROLE: "worker" }, createLogger("silent"));
    await waitForEvent(gw, witness.app, after.id);
    await queuesDrained(gw.settings.REDIS_PREFIX);
    expect(sims.received.forToken(witness.bob.android as string), "the worker sends").to.have.length(1);
    for (const token of [alice.android, alice.ios, bob.android]) {
      expect(sims.received.forToken(token as string), "a token of the deleted app").to.deep.equal([]);
    }
  });
});
