import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import { pino } from "pino";
import { redisAnswers, startEmbeddedRedis } from "../src/queue/embedded-redis.js";
import { DisposableRedis } from "./support/disposable-redis.js";
import { startTestGateway } from "./support/test-gateway.js";

describe("Redis lifecycle", () => {
  it("readiness turns 503 while Redis is stopped and recovers when it is back", async () => {
    const redis = await DisposableRedis.start();
    const gw = await startTestGateway({ REDIS_URL: redis.url });
    try {
      expect((await gw.request("GET", "/readyz")).status).to.equal(200);
      await redis.kill();
      const down = await gw.request("GET", "/readyz");
      expect(down.status).to.equal(503);
      expect(down.headers.get("content-type")).to.match(/^application\/problem\+json/);
      expect(down.body.checks.redis).to.not.equal("ok");
      expect(down.body.checks.database).to.equal("ok");

      await redis.restart();
      let status = 0;
      for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
        await sleep(100);
        status = (await gw.request("GET", "/readyz")).status;
      }
      expect(status).to.equal(200);
    } finally {
      await gw.close();
      await redis.kill();
    }
  });

  it("starts a private redis-server with AOF under DATA_DIR, and reuses it on the next start", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "pushgate-redis-"));
    const logger = pino({ level: "silent" });
    const first = await startEmbeddedRedis(dataDir, logger);
    try {
      const port = Number(new URL(first.url).port);
      expect(await redisAnswers("127.0.0.1", port)).to.equal(true);
      expect(existsSync(path.join(dataDir, "redis", "appendonlydir"))).to.equal(true);
      const second = await startEmbeddedRedis(dataDir, logger);
      expect(second.url).to.equal(first.url);
      expect(second.stop).to.equal(undefined);
    } finally {
      await first.stop?.();
    }
  });
});
