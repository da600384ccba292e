import { type ChildProcess, execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { RedisUnavailableError, spawnRedisServer, startOnFreePort } from "../../src/queue/embedded-redis.js";
import type { RedisTarget } from "../../src/queue/redis-target.js";

const throwaway = ["--save", "", "--appendonly", "no"];

/** A redis-server (or Sentinel) of a topology, on a port of its own. */
interface Member {
  port: number;
  child: ChildProcess;
}

function startMember(args: string[], configFileOf?: (port: number) => string): Promise<Member> {
  return startOnFreePort(async (port) => {
    const configFile = configFileOf?.(port);
    return { port, child: await spawnRedisServer(port, [...throwaway, ...args], { configFile }) };
  });
}

async function killed(member: Member): Promise<void> {
  const { child } = member;
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => {
    child.once("exit", resolve);
    child.kill("SIGKILL");
  });
}

/** Asks the server at `port` one command, on a connection that gives up at once when nobody answers. */
async function ask(port: number, command: string, ...args: (string | number)[]): Promise<unknown> {
  const redis = new Redis({
    host: "127.0.0.1",
    port,
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    commandTimeout: 1000,
  });
  redis.on("error", () => {});
  try {
    await redis.connect();
    return await redis.call(command, ...args);
  } finally {
    redis.disconnect();
  }
}

/** Polls `holds` until it answers true; throws `what` past the deadline. */
export async function until(holds: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await holds().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(50);
  }
}

const masterName = "pushgate";

/**
 * One master, one replica, and three Sentinels (quorum 2) that watch them, all on loopback:
 * the master is taken for down after a second without an answer, so a failover takes a few.
 */
export class SentinelSetup {
  private constructor(
    private readonly dir: string,
    readonly master: Member,
    readonly replica: Member,
    private readonly sentinels: Member[],
  ) {}

  static async start(): Promise<SentinelSetup> {
    const dir = mkdtempSync(path.join(tmpdir(), "pushgate-sentinel-"));
    const master = await startMember(["--dir", dir]);
    const replica = await startMember(["--dir", dir, "--replicaof", "127.0.0.1", String(master.port)]);
    const sentinels: Member[] = [];
    const setup = new SentinelSetup(dir, master, replica, sentinels);
    try {
      await until(
        async () => /master_link_status:up/.test(String(await ask(replica.port, "INFO", "replication"))),
        "the replica in sync with the master",
      );
      for (let i = 0; i < 3; i++) {
        sentinels.push(
          await startMember(["--sentinel"], (port) => {
            const file = path.join(dir, `sentinel-${port}.conf`);
            writeFileSync(
              file,
              [
                `sentinel monitor ${masterName} 127.0.0.1 ${master.port} 2`,
                `sentinel down-after-milliseconds ${masterName} 1000`,
                `sentinel failover-timeout ${masterName} 5000`,
                `sentinel parallel-syncs ${masterName} 1`,
                "",
              ].join("\n"),
            );
            return file;
          }),
        );
      }
      // A Sentinel learns of the replica from the master, and of the other Sentinels from their hellos.
      for (const sentinel of sentinels) {
        await until(async () => {
          const replicas = (await ask(sentinel.port, "SENTINEL", "REPLICAS", masterName)) as unknown[];
          const others = (await ask(sentinel.port, "SENTINEL", "SENTINELS", masterName)) as unknown[];
          return replicas.length === 1 && others.length === 2;
        }, `Sentinel ${sentinel.port} knowing the replica and the other Sentinels`);
      }
      return setup;
    } catch (error) {
      await setup.stop();
      throw error;
    }
  }

  /** The gateway's settings for this setup. */
  get settings(): { REDIS_SENTINELS: string; REDIS_SENTINEL_NAME: string } {
    return {
      REDIS_SENTINELS: this.sentinels.map((sentinel) => `127.0.0.1:${sentinel.port}`).join(","),
      REDIS_SENTINEL_NAME: masterName,
    };
  }

  /** The port of the master the Sentinels name now. */
  async masterPort(): Promise<number> {
    const [sentinel] = this.sentinels as [Member];
    const [, port] = (await ask(
      sentinel.port,
      "SENTINEL",
      "GET-MASTER-ADDR-BY-NAME",
      masterName,
    )) as string[];
    return Number(port);
  }

  /** What the replica says it is, `master` once a Sentinel promoted it. */
  async replicaRole(): Promise<string> {
    const [role] = (await ask(this.replica.port, "ROLE")) as [string];
    return role;
  }

  /** A crash of the master (SIGKILL): its unreplicated writes are gone with it. */
  killMaster(): Promise<void> {
    return killed(this.master);
  }

  async stop(): Promise<void> {
    await Promise.all([this.master, this.replica, ...this.sentinels].map(killed));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Why `redis-server` cannot run a cluster here, or undefined when it can. */
export async function clusterModeUnavailable(): Promise<string | undefined> {
  if (spawnSync("redis-cli", ["--version"], { stdio: "ignore" }).status !== 0)
    return "redis-cli is not on PATH (it creates the cluster)";
  const dir = mkdtempSync(path.join(tmpdir(), "pushgate-cluster-probe-"));
  try {
    await killed(await startMember(clusterArgs(dir)));
    return undefined;
  } catch (error) {
    if (error instanceof RedisUnavailableError)
      return `redis-server does not start in cluster mode: ${error.message}`;
    throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function clusterArgs(dir: string): string[] {
  return ["--dir", dir, "--cluster-enabled", "yes", "--cluster-node-timeout", "2000"];
}

/** A Redis Cluster of three masters, no replicas, its slots spread evenly by `redis-cli --cluster create`. */
export class ClusterSetup {
  private constructor(
    private readonly dir: string,
    readonly masters: Member[],
  ) {}

  static async start(): Promise<ClusterSetup> {
    const dir = mkdtempSync(path.join(tmpdir(), "pushgate-cluster-"));
    const masters: Member[] = [];
    const setup = new ClusterSetup(dir, masters);
    try {
      for (let i = 0; i < 3; i++) {
        // Each node keeps its view of the cluster in a file of its own.
        masters.push(
          await startOnFreePort(async (port) => ({
            port,
            child: await spawnRedisServer(port, [
              ...throwaway,
              ...clusterArgs(dir),
              "--cluster-config-file",
              path.join(dir, `nodes-${port}.conf`),
            ]),
          })),
        );
      }
      await promisify(execFile)("redis-cli", [
        "--cluster",
        "create",
        ...masters.map((master) => `127.0.0.1:${master.port}`),
        "--cluster-replicas",
        "0",
        "--cluster-yes",
      ]);
      for (const master of masters) {
        await until(
          async () => /cluster_state:ok/.test(String(await ask(master.port, "CLUSTER", "INFO"))),
          `cluster node ${master.port} seeing the cluster ok`,
        );
      }
      return setup;
    } catch (error) {
      await setup.stop();
      throw error;
    }
  }

  get nodes(): string {
    return this.masters.map((master) => `127.0.0.1:${master.port}`).join(",");
  }

  get target(): RedisTarget {
    return {
      kind: "cluster",
      nodes: this.masters.map((master) => ({ host: "127.0.0.1", port: master.port })),
    };
  }

  /** Per master, how many keys it holds under `prefix`. */
  async keysUnder(prefix: string): Promise<number[]> {
    return Promise.all(
      this.masters.map(async (master) => {
        let cursor = "0";
        let count = 0;
        do {
          const [next, keys] = (await ask(
            master.port,
            "SCAN",
            cursor,
            "MATCH",
            `${prefix}:*`,
            "COUNT",
            1000,
          )) as [string, string[]];
          cursor = next;
          count += keys.length;
        } while (cursor !== "0");
        return count;
      }),
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.masters.map(killed));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
