import { expect } from "chai";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import {
  drillRecipients,
  drillSettings,
  failoverDrill,
  receivedPerEvent,
} from "../support/failover-drill.js";
import { type PushWorld, startPushWorld, type UserDevices } from "../support/push-world.js";
import { SentinelSetup } from "../support/redis-topologies.js";

describe("Redis Sentinel: the gateway on a master the Sentinels watch (docs/configuration.md)", function () {
  this.timeout(180_000);
  let sentinel: SentinelSetup;
  let world: PushWorld;
  let devices: UserDevices[];

  before(async () => {
    sentinel = await SentinelSetup.start();
    world = await startPushWorld({ ...sentinel.settings, ...drillSettings });
    devices = await drillRecipients(world);
  });
  after(async () => {
    await world?.close();
    await sentinel?.stop();
  });

  it("runs an event through to its members' devices", async () => {
    const event = messageEvent();
    expect((await postEvent(world.gw, world.app, event)).status).to.equal(202);
    expect((await waitForEvent(world.gw, world.app, event.id)).status).to.equal("completed");
    const times = receivedPerEvent(world);
    for (const { android } of devices) expect(times.get(`${android} ${event.id}`)).to.equal(1);
  });

  it("waits for the replica before each 202, and asks the master for its replicas once, not each time", async () => {
    const [rolesBefore, waitsBefore] = [
      await sentinel.callsOnMaster("role"),
      await sentinel.callsOnMaster("wait"),
    ];
    const events = Array.from({ length: 10 }, () => messageEvent());
    for (const event of events) expect((await postEvent(world.gw, world.app, event)).status).to.equal(202);
    expect((await sentinel.callsOnMaster("wait")) - waitsBefore).to.be.at.least(events.length);
    expect((await sentinel.callsOnMaster("role")) - rolesBefore).to.be.at.most(1);
    for (const event of events) await waitForEvent(world.gw, world.app, event.id);
  });

  it("loses no accepted event when the master dies under load, and answers 503 while there is none", async () => {
    await failoverDrill(world, devices, {
      killMaster: () => sentinel.killMaster(),
      replicaRole: () => sentinel.replicaRole(),
      replicaNamedMaster: async () => (await sentinel.masterPort()) === sentinel.replica.port,
    });
  });
});
