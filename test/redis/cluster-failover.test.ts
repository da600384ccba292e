import { expect } from "chai";
import { Redis } from "ioredis";
import { clusterQueuePrefix, queueNames } from "../../src/queue/queues.js";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { drillRecipients, drillSettings, failoverDrill } from "../support/failover-drill.js";
import { type PushWorld, startPushWorld } from "../support/push-world.js";
import { ClusterSetup, clusterModeUnavailable, until } from "../support/redis-topologies.js";

describe("Redis Cluster failover: the gateway on three masters with a replica each (docs/configuration.md)", function () {
  this.timeout(180_000);
  let unavailable: string | undefined;
  let cluster: ClusterSetup | undefined;
  let world: PushWorld | undefined;

  before(async () => {
    unavailable = await clusterModeUnavailable();
    if (unavailable) console.log(`      skipped, Redis Cluster failover suite: ${unavailable}`);
  });
  beforeEach(function () {
    if (unavailable) this.skip();
  });
  afterEach(async () => {
    await world?.close();
    await cluster?.stop();
    world = undefined;
    cluster = undefined;
  });

  /** A fresh 3+3 cluster and a gateway on it; every key of the events queue shares one slot, on one master. */
  async function start(settings: Record<string, unknown> = {}) {
    cluster = await ClusterSetup.start({ replicasPerMaster: 1 });
    world = await startPushWorld({ REDIS_CLUSTER_NODES: cluster.nodes, ...drillSettings, ...settings });
    const eventsQueuePrefix = clusterQueuePrefix(world.gw.settings.REDIS_PREFIX, queueNames.events);
    const eventsQueueKey = `${eventsQueuePrefix}:${queueNames.events}:wait`;
    const master = await cluster.masterOf(eventsQueueKey);
    const [replica] = await cluster.replicasOf(master);
    if (!replica) throw new Error(`master ${master.port} has no replica`);
    return { setup: cluster, world, eventsQueueKey, master, replica, devices: await drillRecipients(world) };
  }

  it("loses no accepted event when the master of the events queue's slot dies under load, and answers 503 while the slot has none", async () => {
    const { setup, world, eventsQueueKey, master, replica, devices } = await start();
    await failoverDrill(world, devices, {
      killMaster: () => setup.kill(master),
      replicaRole: () => setup.role(replica),
      replicaNamedMaster: () => setup.allSay(eventsQueueKey, replica),
    });
  });

  it("accepts no event its master's replica does not have, so a failover to that replica loses none", async () => {
    // The WAIT for the replica gives up soon, while the cluster still counts the paused replica alive.
    const { setup, world, eventsQueueKey, master, replica, devices } = await start({
      REDIS_COMMAND_TIMEOUT_MS: 500,
    });
    const { gw, app, sims } = world;
    // Sends that take 3 s keep the event worker's 4 slots busy: a job queued now waits in the queue.
    for (const { android } of devices) sims.scriptToken(android as string, { kind: "slow", delayMs: 3000 });
    const busy: string[] = [];
    for (let i = 0; i < drillSettings.EVENT_WORKER_CONCURRENCY; i++) {
      const event = messageEvent();
      await until(
        async () => (await postEvent(gw, app, event)).status === 202,
        "an event accepted while the replica keeps up",
      );
      busy.push(event.id);
    }

    setup.pause(replica);
    // More than the sockets between them hold: what the master writes next stays in its own memory.
    const direct = new Redis({ host: "127.0.0.1", port: master.port });
    try {
      await direct.set("filler:{events}", "x".repeat(32 * 1024 * 1024));
    } finally {
      direct.disconnect();
    }
    const behind = [messageEvent(), messageEvent(), messageEvent()];
    const answers = await Promise.all(behind.map((event) => postEvent(gw, app, event)));
    await setup.kill(master);
    setup.resume(replica);
    for (const { android } of devices) sims.scriptToken(android as string, { kind: "slow", delayMs: 0 });
    await until(async () => (await setup.role(replica)) === "master", "the replica promoted", 60_000);
    await until(() => setup.allSay(eventsQueueKey, replica), "the promoted replica named the master");

    const accepted = behind.filter((_, index) => answers[index]?.status === 202).map(({ id }) => id);
    for (const id of [...busy, ...accepted]) {
      expect((await waitForEvent(gw, app, id, undefined, 30_000)).status, id).to.equal("completed");
    }
    expect(
      answers.map(({ status }) => status),
      "events posted while the replica confirmed nothing",
    ).to.deep.equal([503, 503, 503]);
    const after = messageEvent();
    await until(
      async () => (await postEvent(gw, app, after)).status === 202,
      "an event accepted by the new master",
    );
    expect((await waitForEvent(gw, app, after.id)).status).to.equal("completed");
  });
});
