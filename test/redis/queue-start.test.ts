import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import { createLogger } from "../../src/observability/logger.js";
import { createQueue, queueNames } from "../../src/queue/queues.js";
import { connectRedis, whenReady } from "../../src/queue/redis.js";
import { deleteKeysUnder } from "../../src/queue/redis-keys.js";
import { DisposableRedis } from "../support/disposable-redis.js";

/**
 * The api makes its queue once, at its start: made while Redis does not answer (stalled, or a
 * Cluster node just dead in a failover), the queue must still take jobs once Redis answers
 * again, as the 503s in between promise.
 */
async function eventuallyAdded(add: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      await add();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}

describe("a queue made while Redis does not answer", () => {
  const prefix = "pgtest-queue-start";
  let redis: DisposableRedis;

  before(async () => {
    redis = await DisposableRedis.start();
  });
  after(async () => {
    redis.resume();
    await deleteKeysUnder(redis.url, prefix);
    await redis.kill();
  });

  it("takes jobs once Redis answers again", async () => {
    const logger = createLogger("silent");
    const connection = connectRedis(
      { target: { kind: "server", url: redis.url }, commandTimeoutMs: 200 },
      "producer",
      logger,
    );
    try {
      expect(await whenReady(connection, 5000)).to.equal(true);
      redis.pause();
      const queue = createQueue(queueNames.events, connection, prefix, logger);
      try {
        // Longer than a command may go unanswered: what the queue asked at its start timed out.
        await sleep(500);
        redis.resume();
        // A slow machine may time out the first command after the stall too; a queue that kept
        // its failed start refuses every job, however long it is given.
        await eventuallyAdded(() => queue.add("event", { n: 1 }, { jobId: "one" }));
        expect(await queue.count()).to.equal(1);
      } finally {
        await queue.close();
      }
    } finally {
      connection.disconnect();
    }
  });
});
