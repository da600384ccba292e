import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { type EmbeddedRedis, redisAnswers, startEmbeddedRedis } from "../../src/queue/embedded-redis.js";

let privateRedis: EmbeddedRedis | undefined;

/**
 * Root hooks: the suite runs on a real Redis — TEST_REDIS_URL, else the local one on
 * 6379, else a private redis-server started for the run, as the gateway itself does.
 */
export const mochaHooks = {
  async beforeAll() {
    if (process.env.TEST_REDIS_URL || (await redisAnswers("127.0.0.1", 6379))) return;
    privateRedis = await startEmbeddedRedis(
      mkdtempSync(path.join(tmpdir(), "pushgate-test-redis-")),
      pino({ level: "silent" }),
    );
    process.env.TEST_REDIS_URL = privateRedis.url;
  },
  async afterAll() {
    await privateRedis?.stop?.();
  },
};
