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

  // Waits here are longer than the test's own timeout: a waiter that is not woken, or not refused
  // at once, fails the test instead of passing late.
  const longerThanTheTestMs = 60_000;

  it("gives an app at most its slots, and a waiting job the next one this process frees", async () => {
    expect(await slots.acquire("app", "job-1", 10_000)).to.equal(true);
    expect(await slots.acquire("app", "job-2", 10_000)).to.equal(true);
    expect(await slots.acquire("app", "job-3", 10_000), "full, not waiting").to.equal(false);
    expect(await slots.acquire("other-app", "job-4", 10_000), "another app's slots").to.equal(true);

    const waiting = slots.acquire("app", "job-3", 10_000, longerThanTheTestMs);
    await slots.release("app", "job-1");
    expect(await waiting, "woken by the release").to.equal(true);
  });

  it("gives up when no slot frees in time, and lets no more jobs wait than the app has slots", async () => {
    const started = Date.now();
    expect(await slots.acquire("app", "job-5", 10_000, 200)).to.equal(false);
    expect(Date.now() - started, "it waited for its time").to.be.at.least(190);

    const settled: string[] = [];
    const waiters = ["job-6", "job-7"].map((holder) =>
      slots.acquire("app", holder, 10_000, longerThanTheTestMs).then((got) => {
        settled.push(holder);
        return got;
      }),
    );
    expect(await slots.acquire("app", "job-8", 10_000, longerThanTheTestMs), "a third waiter").to.equal(
      false,
    );
    expect(settled, "refused while the two waiters still wait").to.deep.equal([]);
    await slots.release("app", "job-2");
    await slots.release("app", "job-3");
    expect(await Promise.all(waiters), "each woken by a release").to.deep.equal([true, true]);
  });
});
