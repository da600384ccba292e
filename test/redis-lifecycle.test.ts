import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import { pino } from "pino";
import { redisAnswers, startEmbeddedRedis } from "../src/queue/embedded-redis.js";
import { startTestGateway } from "./support/test-gateway.js";

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  while (!(await redisAnswers("127.0.0.1", port))) await sleep(20);
  return child;
}

describe("Redis lifecycle", () => {
  it("readiness turns 503 while Redis is stopped and recovers when it is back", async () => {
    const port = await freePort();
    let redis = await startRedis(port);
    const gw = await startTestGateway({ REDIS_URL: `redis://127.0.0.1:${port}` });
    try {
      expect((await gw.request("GET", "/readyz")).status).to.equal(200);
      redis.kill("SIGKILL");
      await new Promise((resolve) => redis.once("exit", resolve));
      const down = await gw.request("GET", "/readyz");
      expect(down.status).to.equal(503);
      expect(down.headers.get("content-type")).to.match(/^application\/problem\+json/);
      expect(down.body.checks.redis).to.not.equal("ok");
      expect(down.body.checks.database).to.equal("ok");

      redis = await startRedis(port);
      let status = 0;
      for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
        await sleep(100);
        status = (await gw.request("GET", "/readyz")).status;
      }
      expect(status).to.equal(200);
    } finally {
      await gw.close();
      redis.kill("SIGKILL");
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
