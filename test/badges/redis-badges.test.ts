import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { Redis } from "ioredis";
import type { LiveEvent } from "../../src/domain/events/live-event.js";
import { ChunkDelivery } from "../../src/pipeline/dispatch/chunk-delivery.js";
import type { DeliveryJob } from "../../src/pipeline/jobs.js";
import type { PushSender } from "../../src/providers/push-provider.js";
import { RedisBadgeCounter } from "../../src/queue/redis-badges.js";
import { deleteKeysUnder } from "../../src/queue/redis-keys.js";
import { testApp } from "../pipeline/fakes/app.js";
import { InMemoryBurstCounter } from "../pipeline/fakes/bursts.js";
import { InMemoryDeliveryLedger } from "../pipeline/fakes/delivery-ledger.js";
import { InMemoryDeviceDeliveries } from "../pipeline/fakes/device-deliveries.js";
import { OneTokenPerUser, ScriptedSender } from "../pipeline/fakes/push.js";
import { messageEvent } from "../support/events.js";
import { testRedisUrl } from "../support/test-gateway.js";

describe("badge counts in Redis", () => {
  const prefix = `test-badges-${randomUUID()}`;
  let redis: Redis;
  let badges: RedisBadgeCounter;

  before(() => {
    redis = new Redis(testRedisUrl());
    badges = new RedisBadgeCounter(redis, prefix);
  });
  after(async () => {
    redis.disconnect();
    await deleteKeysUnder(testRedisUrl(), prefix);
  });

  it("counts a user once per event run, however many times it is asked", async () => {
    expect(await badges.countAlert("app", "e1", 0, ["u1", "u2"])).to.deep.equal(
      new Map([
        ["u1", 1],
        ["u2", 1],
      ]),
    );
    expect(await badges.countAlert("app", "e1", 0, ["u1"])).to.deep.equal(new Map([["u1", 1]]));
    expect(await badges.countAlert("app", "e2", 0, ["u1"])).to.deep.equal(new Map([["u1", 2]]));
    expect(await badges.get("app", "u1")).to.equal(2);
    expect(await badges.get("other-app", "u1")).to.equal(0);
  });

  it("sends an event's own count as given, without adding one", async () => {
    await badges.setForRun("app", "e3", 0, new Map([["u3", 7]]));
    expect(await badges.countAlert("app", "e3", 0, ["u3", "u4"])).to.deep.equal(
      new Map([
        ["u3", 7],
        ["u4", 1],
      ]),
    );
    await badges.set("app", "u3", 0);
    expect(await badges.countAlert("app", "e4", 0, ["u3"])).to.deep.equal(new Map([["u3", 1]]));
  });

  it("does not count twice when a delivery job runs again after a crash mid-send", async () => {
    const app = testApp({ badge: "count" });
    const sender = new ScriptedSender();
    let crash = true;
    const crashing: Pick<PushSender, "send"> = {
      send: async (...args) => {
        if (crash) throw new Error("worker died");
        return sender.send(...args);
      },
    };
    const chunks = new ChunkDelivery(
      new OneTokenPerUser(),
      crashing,
      new InMemoryDeliveryLedger(),
      new InMemoryDeviceDeliveries(),
      badges,
      new InMemoryBurstCounter(),
      { baseMs: 10, maxMs: 20 },
    );
    const event = messageEvent() as LiveEvent;
    const job: DeliveryJob = {
      appId: app.id,
      eventId: `crash-${randomUUID()}`,
      run: 0,
      attempt: 1,
      userIds: ["crashed-user"],
      message: {
        title: "t",
        body: "b",
        data: {},
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
        call: false,
      },
    };
    await chunks.send(app, event, job, "job-1").then(
      () => expect.fail("the first run crashes"),
      () => undefined,
    );
    crash = false;
    await chunks.send(app, event, job, "job-1");
    expect(sender.sends.map((send) => send.message.badge)).to.deep.equal([1]);
    expect(await badges.get(app.id, "crashed-user")).to.equal(1);
  });
});
