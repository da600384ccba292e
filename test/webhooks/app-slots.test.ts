import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { Redis } from "ioredis";
import { deleteKeysUnder } from "../../src/queue/redis-keys.js";
import { AppSlots } from "../../src/webhooks/app-slots.js";
import { testRedisUrl } from "../support/test-gateway.js";

describe("per-app webhook slots", () => {
  const prefix = `slots-test-${randomBytes(4).toString("hex")}`;
  let redis: Redis;
  let slots: AppSlots;

  before(() => {
    redis = new Redis(testRedisUrl());
    slots = new AppSlots(redis, prefix, 2);
  });
  after(async () => {
    await deleteKeysUnder(testRedisUrl(), prefix);
    redis.disconnect();
  });

  it("gives an app at most its slots, and a waiting job the next one this process frees", async () => {
    expect(await slots.acquire("app", "job-1", 10_000)).to.equal(true);
    expect(await slots.acquire("app", "job-2", 10_000)).to.equal(true);
    expect(await slots.acquire("app", "job-3", 10_000), "full, not waiting").to.equal(false);
    expect(await slots.acquire("other-app", "job-4", 10_000), "another app's slots").to.equal(true);

    const waiting = slots.acquire("app", "job-3", 10_000, 5000);
    const started = Date.now();
    await slots.release("app", "job-1");
    expect(await waiting).to.equal(true);
    expect(Date.now() - started, "woken by the release, not by its wait running out").to.be.below(1000);
  });

  it("gives up when no slot frees in time, and lets no more jobs wait than the app has slots", async () => {
    const started = Date.now();
    expect(await slots.acquire("app", "job-5", 10_000, 200)).to.equal(false);
    expect(Date.now() - started).to.be.at.least(190);

    const waiters = [slots.acquire("app", "job-6", 10_000, 300), slots.acquire("app", "job-7", 10_000, 300)];
    const beyond = Date.now();
    expect(await slots.acquire("app", "job-8", 10_000, 300), "a third waiter").to.equal(false);
    expect(Date.now() - beyond, "refused at once, not after its wait").to.be.below(250);
    expect(await Promise.all(waiters)).to.deep.equal([false, false]);
  });
});
