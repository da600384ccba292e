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

export interface ClusterSetupOptions {
  /** Replicas of each of the three masters (`--cluster-replicas`): 0, or 1 for a cluster that can fail over. */
  replicasPerMaster?: number;
}

/**
 * A Redis Cluster of three masters, each with `replicasPerMaster` replicas (none by default),
 * its slots spread evenly by `redis-cli --cluster create`. A master is taken for failing after
 * 2 s without an answer, and its replica is promoted a second or two later.
 */
export class ClusterSetup {
  private constructor(
    private readonly dir: string,
    /** Every node, masters and replicas, as started: which is which is the cluster's to say. */
    readonly members: Member[],
  ) {}

  static async start({ replicasPerMaster = 0 }: ClusterSetupOptions = {}): Promise<ClusterSetup> {
    const dir = mkdtempSync(path.join(tmpdir(), "pushgate-cluster-"));
    const members: Member[] = [];
    const setup = new ClusterSetup(dir, members);
    try {
      for (let i = 0; i < 3 * (1 + replicasPerMaster); i++) {
        // Each node keeps its view of the cluster in a file of its own.
        members.push(
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
        ...members.map((member) => `127.0.0.1:${member.port}`),
        "--cluster-replicas",
        String(replicasPerMaster),
        "--cluster-yes",
      ]);
      for (const member of members) {
        await until(async () => {
          const info = String(await ask(member.port, "CLUSTER", "INFO"));
          return /cluster_state:ok/.test(info) && info.includes(`cluster_known_nodes:${members.length}`);
        }, `cluster node ${member.port} seeing the whole cluster ok`);
        if ((await setup.role(member)) !== "master") {
          await until(
            async () => /master_link_status:up/.test(String(await ask(member.port, "INFO", "replication"))),
            `replica ${member.port} in sync with its master`,
          );
        }
      }
      return setup;
    } catch (error) {
      await setup.stop();
      throw error;
    }
  }

  get nodes(): string {
    return this.members.map((member) => `127.0.0.1:${member.port}`).join(",");
  }

  get target(): RedisTarget {
    return {
      kind: "cluster",
      nodes: this.members.map((member) => ({ host: "127.0.0.1", port: member.port })),
    };
  }

  private alive(): Member[] {
    return this.members.filter(({ child }) => child.exitCode === null && child.signalCode === null);
  }

  /** What `member` says it is: `master`, or `slave` until it is promoted. */
  async role(member: Member): Promise<string> {
    const [role] = (await ask(member.port, "ROLE")) as [string];
    return role;
  }

  /** The master that serves `key`'s hash slot, as the first live node asked says. */
  async masterOf(key: string): Promise<Member> {
    const [asked] = this.alive() as [Member];
    const slot = Number(await ask(asked.port, "CLUSTER", "KEYSLOT", key));
    const ranges = (await ask(asked.port, "CLUSTER", "SLOTS")) as [number, number, [string, number]][];
    const range = ranges.find(([first, last]) => first <= slot && slot <= last);
    const member = this.members.find(({ port }) => port === range?.[2][1]);
    if (!member) throw new Error(`no master serves slot ${slot} (of ${key})`);
    return member;
  }

  /** The replicas `master` streams its writes to now. */
  async replicasOf(master: Member): Promise<Member[]> {
    const [, , replicas] = (await ask(master.port, "ROLE")) as [string, number, [string, string][]];
    return this.members.filter(({ port }) =>
      replicas.some(([, replicaPort]) => Number(replicaPort) === port),
    );
  }

  /** Whether every live node names `member` the master of `key`'s slot. */
  async allSay(key: string, member: Member): Promise<boolean> {
    const slot = Number(await ask(member.port, "CLUSTER", "KEYSLOT", key));
    const says = await Promise.all(
      this.alive().map(async ({ port }) => {
        const ranges = (await ask(port, "CLUSTER", "SLOTS")) as [number, number, [string, number]][];
        return ranges.find(([first, last]) => first <= slot && slot <= last)?.[2][1];
      }),
    );
    return says.every((port) => port === member.port);
  }

  /** A crash of a node (SIGKILL): what it did not stream to its replicas yet is gone with it. */
  kill(member: Member): Promise<void> {
    return killed(member);
  }

  /** Stops a node (SIGSTOP) until `resume`: a replica that falls behind, reading and confirming nothing. */
  pause(member: Member): void {
    member.child.kill("SIGSTOP");
  }

  resume(member: Member): void {
    member.child.kill("SIGCONT");
  }

  /** Per live master, how many keys it holds under `prefix`. */
  async keysUnder(prefix: string): Promise<number[]> {
    const masters: Member[] = [];
    for (const member of this.alive()) if ((await this.role(member)) === "master") masters.push(member);
    return Promise.all(
      masters.map(async (master) => {
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
    await Promise.all(this.members.map(killed));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
