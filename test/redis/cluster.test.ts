import { expect } from "chai";
import { deleteKeysUnder } from "../../src/queue/redis-keys.js";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import {
  apnsPayload,
  createPushApp,
  type PushWorld,
  startPushWorld,
  type TestApp,
  userWithDevices,
} from "../support/push-world.js";
import { ClusterSetup, clusterModeUnavailable } from "../support/redis-topologies.js";
import { startReceiver, type WebhookReceiver } from "../support/webhook-receiver.js";

describe("Redis Cluster: the gateway on three masters (docs/configuration.md)", function () {
  this.timeout(120_000);
  let cluster: ClusterSetup | undefined;
  let world: PushWorld | undefined;
  let receiver: WebhookReceiver | undefined;

  before(async function () {
    const unavailable = await clusterModeUnavailable();
    if (unavailable) {
      console.log(`      skipped, Redis Cluster suite: ${unavailable}`);
      this.skip();
    }
    cluster = await ClusterSetup.start();
    world = await startPushWorld({ REDIS_CLUSTER_NODES: cluster.nodes });
  });
  after(async () => {
    await world?.close();
    await receiver?.close();
    await cluster?.stop();
  });

  it("runs the events of several apps through queues, badges, bursts and webhook slots spread over the masters", async () => {
    const { gw, sims } = world as PushWorld;
    receiver = await startReceiver([], () => ({ body: { action: "send" } }));
    const apps: TestApp[] = [world?.app as TestApp];
    for (const body of [{ burst_window_seconds: 60 }, { mode: "webhook", webhook: { url: receiver.url } }]) {
      apps.push((await createPushApp(gw, sims, body)).app);
    }
    const phones = await Promise.all(
      apps.map(async (app) => (await userWithDevices(gw, app, "u2", { ios: true })).ios as string),
    );

    const eventsPerApp = 3;
    await Promise.all(
      apps.map(async (app) => {
        for (let i = 0; i < eventsPerApp; i++) {
          const event = messageEvent();
          expect((await postEvent(gw, app, event)).status).to.equal(202);
          expect((await waitForEvent(gw, app, event.id)).status).to.equal("completed");
        }
      }),
    );

    for (const phone of phones) {
      const badges = sims.received
        .forToken(phone)
        .map((entry) => (apnsPayload(entry).aps as Record<string, unknown>).badge);
      expect(badges, "each event counted once on the user's badge").to.deep.equal([1, 2, 3]);
    }
    const [, bursting] = sims.received.forToken(phones[1] as string).map((entry) => apnsPayload(entry).aps);
    expect(bursting?.alert, "the burst counted the second message").to.deep.include({
      body: "2 new messages",
    });
    expect(receiver.deliveries, "one webhook call per event of the webhook app").to.have.length(eventsPerApp);

    const prefix = gw.settings.REDIS_PREFIX;
    const perMaster = await (cluster as ClusterSetup).keysUnder(prefix);
    expect(
      perMaster.filter((count) => count > 0).length,
      `keys per master ${perMaster}: queues and apps spread`,
    ).to.be.at.least(2);
    // Stopped first, so that no worker writes a key again after the clean-up.
    await world?.close();
    world = undefined;
    await deleteKeysUnder((cluster as ClusterSetup).target, prefix);
    expect(await (cluster as ClusterSetup).keysUnder(prefix), "cleaned on every master").to.deep.equal([
      0, 0, 0,
    ]);
  });
});
