import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import { pino } from "pino";
import {
  PortTakenError,
  redisAnswers,
  spawnRedisServer,
  startEmbeddedRedis,
  startOnFreePort,
} from "../src/queue/embedded-redis.js";
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

  it("does not take another server on the remembered port for its private one", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "pushgate-redis-"));
    const stranger = await DisposableRedis.start();
    mkdirSync(path.join(dataDir, "redis"));
    writeFileSync(path.join(dataDir, "redis", "port"), String(stranger.port));
    const own = await startEmbeddedRedis(dataDir, pino({ level: "silent" }));
    try {
      expect(own.url).to.not.equal(stranger.url);
      expect(own.stop, "a server of its own, to stop").to.be.a("function");
    } finally {
      await own.stop?.();
      await stranger.kill();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("refuses a port another process took, Redis or not, instead of using what answers there", async () => {
    const plain = net.createServer();
    await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
    const redis = await DisposableRedis.start();
    try {
      const plainPort = (plain.address() as net.AddressInfo).port;
      const taken = await spawnRedisServer(plainPort, []).catch((error: unknown) => error);
      expect(taken).to.be.instanceOf(PortTakenError);

      await redis.kill();
      const stranger = await spawnRedisServer(redis.port, ["--save", ""]);
      try {
        const restarted = await redis.restart().catch((error: unknown) => error);
        expect(restarted, "a restart onto a port a stranger took").to.be.instanceOf(PortTakenError);
      } finally {
        stranger.kill("SIGKILL");
      }
    } finally {
      plain.close();
      await redis.kill();
    }
  });

  it("starts again on another free port while the chosen one turns out taken, a bounded number of times", async () => {
    const ports: number[] = [];
    const started = await startOnFreePort(async (port) => {
      ports.push(port);
      if (ports.length < 3) throw new PortTakenError(`port ${port} is taken`);
      return port;
    });
    expect(ports).to.have.length(3);
    expect(started).to.equal(ports[2]);

    let tries = 0;
    const givenUp = await startOnFreePort(async (port) => {
      tries += 1;
      throw new PortTakenError(`port ${port} is taken`);
    }, 4).catch((error: unknown) => error);
    expect(givenUp).to.be.instanceOf(PortTakenError);
    expect(tries).to.equal(4);
  });
});
