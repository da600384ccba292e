import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../observability/logger.js";

export class RedisUnavailableError extends Error {
  override name = "RedisUnavailableError";
}

/** Answers whether a Redis server replies to PING at host:port within the timeout. */
export function redisAnswers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
}

function redisServerOnPath(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

/** A TCP port nothing listens on right now, on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface EmbeddedRedis {
  url: string;
  /** Stops the child; undefined when an earlier gateway's private server was reused. */
  stop?: () => Promise<void>;
}

/**
 * A private `redis-server` under `DATA_DIR/redis`, with AOF so queued events survive
 * a restart. Its port is remembered so a later start reuses a server still running.
 */
export async function startEmbeddedRedis(dataDir: string, logger: Logger): Promise<EmbeddedRedis> {
  const dir = path.resolve(dataDir, "redis");
  mkdirSync(dir, { recursive: true });
  const portFile = path.join(dir, "port");
  const rememberedPort = Number.parseInt(readFileIfExists(portFile) ?? "", 10);
  if (rememberedPort > 0 && (await redisAnswers("127.0.0.1", rememberedPort))) {
    logger.info({ port: rememberedPort, dir }, "using the private redis-server started earlier");
    return { url: `redis://127.0.0.1:${rememberedPort}` };
  }
  if (!redisServerOnPath()) {
    throw new RedisUnavailableError(
      "REDIS_URL: nothing answers at redis://127.0.0.1:6379 and redis-server is not on PATH. " +
        "Install Redis ≥ 6.2 (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) " +
        "or set REDIS_URL to a running server.",
    );
  }
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes", "--save", ""],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  await waitUntilAnswering(child, port);
  writeFileSync(portFile, String(port));
  logger.warn(
    { port, dir },
    "no Redis answered at redis://127.0.0.1:6379: started a private redis-server (AOF on) for this gateway",
  );
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => stopChild(child),
  };
}

async function waitUntilAnswering(child: ChildProcess, port: number): Promise<void> {
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  for (let attempt = 0; attempt < 100; attempt++) {
    if (exited) throw new RedisUnavailableError(`the private redis-server on port ${port} exited at start`);
    if (await redisAnswers("127.0.0.1", port, 200)) return;
    await sleep(50);
  }
  child.kill("SIGKILL");
  throw new RedisUnavailableError(`the private redis-server on port ${port} did not answer within 5 s`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

function readFileIfExists(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}
