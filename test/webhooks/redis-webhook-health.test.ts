import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { Redis } from "ioredis";
import { RedisWebhookHealth } from "../../src/queue/redis-webhook-health.js";

describe("webhook health in Redis", () => {
  const prefix = `pushgate-test-${randomUUID()}`;
  const connections = [new Redis(), new Redis()];
  // Two connections, as two worker processes have.
  const [one, other] = connections.map((redis) => new RedisWebhookHealth(redis, prefix)) as [
    RedisWebhookHealth,
    RedisWebhookHealth,
  ];

  after(async () => {
    const keys = await connections[0]?.keys(`${prefix}:*`);
    if (keys?.length) await connections[0]?.unlink(...keys);
    for (const redis of connections) redis.disconnect();
  });

  it("counts one run of failures per app, whichever process failed, since its first failure", async () => {
    const start = new Date("2026-11-30T08:00:00Z");
    expect(await one.failed("app_a", start)).to.deep.equal({ count: 1, since: start });
    expect(await other.failed("app_a", new Date(start.getTime() + 5000))).to.deep.equal({
      count: 2,
      since: start,
    });
    expect(await other.failed("app_b", start), "another app's run").to.deep.include({ count: 1 });

    await one.answered("app_a");
    const restart = new Date(start.getTime() + 9000);
    expect(await other.failed("app_a", restart), "an answer ends the run").to.deep.equal({
      count: 1,
      since: restart,
    });
  });

  it("lets one caller per interval probe, until reset", async () => {
    expect(await one.claimProbe("app_p", 60_000)).to.equal(true);
    expect(await other.claimProbe("app_p", 60_000)).to.equal(false);
    expect(await one.claimProbe("app_q", 60_000), "per app").to.equal(true);
    await other.reset("app_p");
    expect(await other.claimProbe("app_p", 60_000)).to.equal(true);
  });

  it("expires a probe claim with its interval", async () => {
    expect(await one.claimProbe("app_short", 50)).to.equal(true);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await other.claimProbe("app_short", 50)).to.equal(true);
  });
});
