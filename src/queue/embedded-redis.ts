import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { Redis } from "ioredis";
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

/** A TCP port nothing listens on right now, on loopback: another process may take it before it is used. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The port was free when chosen, and taken by another process before it could be bound. */
export class PortTakenError extends Error {
  override name = "PortTakenError";
}

/**
 * Runs `start` on a free port, and again on another one while the port turns out taken
 * (`PortTakenError`): a port chosen free is only free until someone else binds it.
 */
export async function startOnFreePort<T>(start: (port: number) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort());
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= attempts) throw error;
    }
  }
}

export interface RedisServerLaunch {
  /** A configuration file, for a Sentinel (it writes its state there); the rest is in `args`. */
  configFile?: string;
  timeoutMs?: number;
}

/**
 * Starts `redis-server` on `port` of loopback and resolves once this very child says it accepts
 * connections (a Sentinel: once it monitors its master): a PING could be answered by another
 * server that took the port meanwhile.
 * Rejects with `PortTakenError` when the port is taken, `RedisUnavailableError` otherwise.
 */
export function spawnRedisServer(
  port: number,
  args: string[],
  { configFile, timeoutMs = 10_000 }: RedisServerLaunch = {},
): Promise<ChildProcess> {
  const configuration = configFile ? [configFile] : [];
  const child = spawn(
    "redis-server",
    [...configuration, "--port", String(port), "--bind", "127.0.0.1", ...args],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const settle = (error: Error | null) => {
      clearTimeout(timer);
      child.off("exit", exited);
      lines.close();
      // Read on and dropped from now on, so a full pipe never blocks the server.
      child.stdout?.resume();
      child.stderr?.resume();
      if (error) reject(error);
      else resolve(child);
    };
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      output.push(line);
      if (/Ready to accept connections|\+monitor master/.test(line)) settle(null);
    });
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString().trimEnd()));
    const exited = () => {
      const said = output.slice(-5).join("\n");
      settle(
        /Address already in use/.test(said)
          ? new PortTakenError(`port ${port} is taken: ${said}`)
          : new RedisUnavailableError(`redis-server on port ${port} exited at start: ${said}`),
      );
    };
    child.once("exit", exited);
    child.once("error", (error) => settle(new RedisUnavailableError(`redis-server: ${error.message}`)));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      settle(new RedisUnavailableError(`redis-server on port ${port} was not ready within ${timeoutMs} ms`));
    }, timeoutMs);
  });
}

/** Whether the Redis at the port keeps its files in `dir`: the private server of this `DATA_DIR`, not another. */
async function servesDirectory(port: number, dir: string): Promise<boolean> {
  const redis = new Redis({
    host: "127.0.0.1",
    port,
    lazyConnect: true,
    retryStrategy: () => null,
    connectTimeout: 1000,
    commandTimeout: 1000,
  });
  redis.on("error", () => {});
  try {
    await redis.connect();
    const [, served] = (await redis.config("GET", "dir")) as string[];
    return served === realpathSync(dir);
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
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
  if (rememberedPort > 0 && (await servesDirectory(rememberedPort, dir))) {
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
  const { port, child } = await startOnFreePort(async (port) => ({
    port,
    child: await spawnRedisServer(port, ["--dir", dir, "--appendonly", "yes", "--save", ""]),
  }));
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
