import { type ChildProcess, execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { RedisUnavailableError, spawnRedisServer, startOnFreePort } from "../../src/queue/embedded-redis.js";
import type { RedisTarget } from "../../src/queue/redis-target.js";
import {
  clusterBusTlsArgs,
  dataPasswordArgs,
  gatewayUserArgs,
  securedRedis,
  tlsArgs,
  tlsSettings,
} from "./secured-redis.js";

/**
 * What a topology takes to let a client in; by default nothing, as the plain suites want it.
 * secured-redis.ts has the passwords, the ACL user and the TLS material.
 */
export interface Security {
  /**
   * Passwords on every server: the data nodes take `requirepass` (and, under Sentinels, the
   * gateway's ACL user) and authenticate to their master with it (`masterauth`); Sentinels take
   * their own `requirepass` (and the ACL user), and `sentinel auth-pass` to reach the data nodes.
   */
  passwords?: boolean;
  /** TLS only (no plaintext port), to clients, between master and replica, and on a cluster's bus. */
  tls?: boolean;
}

/** How a client gets in to one server: an ACL user (or the `default` one) and its password, TLS. */
interface Access {
  username?: string;
  password?: string;
  tls?: boolean;
}

/** How the setups below get in to their data nodes (as the `default` user) or to their Sentinels. */
function accessOf({ passwords = false, tls = false }: Security, password: string): Access {
  return passwords ? { tls, password } : { tls };
}

const throwaway = ["--save", "", "--appendonly", "no"];

/** A redis-server (or Sentinel) of a topology, on a port of its own, and how one gets in to it. */
interface Member {
  port: number;
  child: ChildProcess;
  access: Access;
}

/**
 * Starts a redis-server (or a Sentinel, `--sentinel` in `args`, configured by the file
 * `configFileOf` writes) on a free port, with `args` made for that port. With `access.tls` it
 * listens with TLS only: the TLS arguments come before `args`, so that `args` can replace one
 * (a cluster node trusts its bus's client certificate besides the test CA).
 */
function startMember(
  args: string[] | ((port: number) => string[]),
  access: Access = {},
  configFileOf?: (port: number) => string,
): Promise<Member> {
  return startOnFreePort(async (port) => {
    const configFile = configFileOf?.(port);
    const all = [
      ...throwaway,
      ...(access.tls ? tlsArgs(port) : []),
      ...(typeof args === "function" ? args(port) : args),
    ];
    return { port, child: await spawnRedisServer(port, all, { configFile }), access };
  });
}

async function killed({ child }: Member): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => {
    child.once("exit", resolve);
    child.kill("SIGKILL");
  });
}

/** Kills `members` and removes their files. */
async function tornDown(members: Member[], dir: string): Promise<void> {
  await Promise.all(members.map(killed));
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Asks the server at `port` one command, as `access` says to get in (a member's own), on a
 * connection that gives up at once when nobody answers.
 */
async function ask(
  { port, access = {} }: { port: number; access?: Access },
  command: string,
  ...args: (string | number)[]
): Promise<unknown> {
  const redis = new Redis({
    host: "127.0.0.1",
    port,
    ...(access.username === undefined ? {} : { username: access.username }),
    ...(access.password === undefined ? {} : { password: access.password }),
    ...(access.tls ? { tls: { ca: readFileSync(securedRedis.caFile, "utf8") } } : {}),
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

/** The gateway's settings that let it in to a topology with passwords, or TLS (none for a plain one). */
interface AccessSettings {
  REDIS_USERNAME?: string;
  REDIS_PASSWORD?: string;
  REDIS_SENTINEL_PASSWORD?: string;
  REDIS_TLS?: boolean;
  REDIS_TLS_CA_FILE?: string;
}

/**
 * One master, one replica, and three Sentinels (quorum 2) that watch them, all on loopback:
 * the master is taken for down after a second without an answer, so a failover takes a few.
 * With `security`, passwords and TLS as `Security` says.
 */
export class SentinelSetup {
  private constructor(
    private readonly dir: string,
    private readonly security: Security,
    readonly master: Member,
    readonly replica: Member,
    private readonly sentinels: Member[],
  ) {}

  static async start(security: Security = {}): Promise<SentinelSetup> {
    const { passwords = false } = security;
    const dir = mkdtempSync(path.join(tmpdir(), "pushgate-sentinel-"));
    const dataArgs = ["--dir", dir, ...(passwords ? [...dataPasswordArgs, ...gatewayUserArgs] : [])];
    const data = accessOf(security, securedRedis.dataPassword);
    const started: Member[] = [];
    try {
      const master = await startMember(dataArgs, data);
      started.push(master);
      const replica = await startMember([...dataArgs, "--replicaof", "127.0.0.1", String(master.port)], data);
      started.push(replica);
      await until(
        async () => /master_link_status:up/.test(String(await ask(replica, "INFO", "replication"))),
        "the replica in sync with the master",
      );
      const sentinels: Member[] = [];
      for (let i = 0; i < 3; i++) {
        const sentinel = await startMember(
          ["--sentinel", ...(passwords ? gatewayUserArgs : [])],
          accessOf(security, securedRedis.sentinelPassword),
          (port) => {
            const file = path.join(dir, `sentinel-${port}.conf`);
            writeFileSync(
              file,
              [
                `sentinel monitor ${masterName} 127.0.0.1 ${master.port} 2`,
                ...(passwords ? [`sentinel auth-pass ${masterName} ${securedRedis.dataPassword}`] : []),
                `sentinel down-after-milliseconds ${masterName} 1000`,
                `sentinel failover-timeout ${masterName} 5000`,
                `sentinel parallel-syncs ${masterName} 1`,
                // Also what each Sentinel gives the others.
                ...(passwords ? [`requirepass ${securedRedis.sentinelPassword}`] : []),
                "",
              ].join("\n"),
            );
            return file;
          },
        );
        started.push(sentinel);
        sentinels.push(sentinel);
      }
      // A Sentinel learns of the replica from the master, and of the other Sentinels from their hellos.
      for (const sentinel of sentinels) {
        await until(async () => {
          const replicas = (await ask(sentinel, "SENTINEL", "REPLICAS", masterName)) as unknown[];
          const others = (await ask(sentinel, "SENTINEL", "SENTINELS", masterName)) as unknown[];
          return replicas.length === 1 && others.length === 2;
        }, `Sentinel ${sentinel.port} knowing the replica and the other Sentinels`);
      }
      return new SentinelSetup(dir, security, master, replica, sentinels);
    } catch (error) {
      await tornDown(started, dir);
      throw error;
    }
  }

  /**
   * The gateway's settings for this setup; with passwords, the ACL user on the data nodes and the
   * Sentinels' `requirepass` (the `default` user), and with TLS, the test CA.
   */
  get settings(): { REDIS_SENTINELS: string; REDIS_SENTINEL_NAME: string } & AccessSettings {
    return {
      REDIS_SENTINELS: this.sentinels.map((sentinel) => `127.0.0.1:${sentinel.port}`).join(","),
      REDIS_SENTINEL_NAME: masterName,
      ...(this.security.passwords
        ? {
            REDIS_USERNAME: securedRedis.username,
            REDIS_PASSWORD: securedRedis.userPassword,
            REDIS_SENTINEL_PASSWORD: securedRedis.sentinelPassword,
          }
        : {}),
      ...tlsSettings(this.security.tls ?? false),
    };
  }

  /** The port of the master the Sentinels name now. */
  async masterPort(): Promise<number> {
    const [sentinel] = this.sentinels as [Member];
    const [, port] = (await ask(sentinel, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName)) as string[];
    return Number(port);
  }

  /** How many times the master the Sentinels name now has run `command` (`INFO commandstats`). */
  async callsOnMaster(command: string): Promise<number> {
    const port = await this.masterPort();
    const master = [this.master, this.replica].find((member) => member.port === port) as Member;
    const stats = String(await ask(master, "INFO", "commandstats"));
    return Number(new RegExp(`^cmdstat_${command}:calls=(\\d+)`, "m").exec(stats)?.[1] ?? 0);
  }

  /** What the replica says it is, `master` once a Sentinel promoted it. */
  async replicaRole(): Promise<string> {
    const [role] = (await ask(this.replica, "ROLE")) as [string];
    return role;
  }

  /**
   * With passwords: turns the gateway's ACL user off (its connections are cut, and it is refused
   * when it comes back) or on again, on the master and the replica.
   */
  async setGatewayUser(on: boolean): Promise<void> {
    if (!this.security.passwords) throw new Error("setGatewayUser: this setup has no passwords, nor users");
    for (const member of [this.master, this.replica]) {
      await ask(member, "ACL", "SETUSER", securedRedis.username, on ? "on" : "off");
      if (!on) await ask(member, "CLIENT", "KILL", "USER", securedRedis.username);
    }
  }

  /** A crash of the master (SIGKILL): its unreplicated writes are gone with it. */
  killMaster(): Promise<void> {
    return killed(this.master);
  }

  stop(): Promise<void> {
    return tornDown([this.master, this.replica, ...this.sentinels], this.dir);
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

export interface ClusterSetupOptions extends Security {
  /** Replicas of each of the three masters (`--cluster-replicas`): 0, or 1 for a cluster that can fail over. */
  replicasPerMaster?: number;
}

/**
 * A Redis Cluster of three masters, each with `replicasPerMaster` replicas (none by default),
 * its slots spread evenly by `redis-cli --cluster create`. A master is taken for failing after
 * 2 s without an answer, and its replica is promoted a second or two later. With passwords, its
 * nodes take `requirepass` (and `masterauth`); with TLS, they speak it on the cluster bus too.
 */
export class ClusterSetup {
  private constructor(
    private readonly dir: string,
    private readonly security: Security,
    /** Every node, masters and replicas, as started: which is which is the cluster's to say. */
    readonly members: Member[],
  ) {}

  static async start({
    replicasPerMaster = 0,
    ...security
  }: ClusterSetupOptions = {}): Promise<ClusterSetup> {
    const { passwords = false, tls = false } = security;
    const dir = mkdtempSync(path.join(tmpdir(), "pushgate-cluster-"));
    const setup = new ClusterSetup(dir, security, []);
    const { members } = setup;
    try {
      const busTls = tls ? await clusterBusTlsArgs(dir) : [];
      const access = accessOf(security, securedRedis.dataPassword);
      for (let i = 0; i < 3 * (1 + replicasPerMaster); i++) {
        // Each node keeps its view of the cluster in a file of its own.
        members.push(
          await startMember(
            (port) => [
              ...clusterArgs(dir),
              "--cluster-config-file",
              path.join(dir, `nodes-${port}.conf`),
              ...(passwords ? dataPasswordArgs : []),
              ...busTls,
            ],
            access,
          ),
        );
      }
      await promisify(execFile)(
        "redis-cli",
        [
          ...(tls ? ["--tls", "--cacert", securedRedis.caFile] : []),
          "--cluster",
          "create",
          ...members.map((member) => `127.0.0.1:${member.port}`),
          "--cluster-replicas",
          String(replicasPerMaster),
          "--cluster-yes",
        ],
        // The password not on the command line, where any process could read it.
        passwords ? { env: { ...process.env, REDISCLI_AUTH: securedRedis.dataPassword } } : {},
      );
      for (const member of members) {
        await until(async () => {
          const info = String(await ask(member, "CLUSTER", "INFO"));
          return /cluster_state:ok/.test(info) && info.includes(`cluster_known_nodes:${members.length}`);
        }, `cluster node ${member.port} seeing the whole cluster ok`);
        if ((await setup.role(member)) !== "master") {
          await until(
            async () => /master_link_status:up/.test(String(await ask(member, "INFO", "replication"))),
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

  /** The gateway's settings for this cluster; with passwords, the nodes' `requirepass`, and with TLS, the test CA. */
  get settings(): { REDIS_CLUSTER_NODES: string } & AccessSettings {
    return {
      REDIS_CLUSTER_NODES: this.nodes,
      ...(this.security.passwords ? { REDIS_PASSWORD: securedRedis.dataPassword } : {}),
      ...tlsSettings(this.security.tls ?? false),
    };
  }

  get target(): RedisTarget {
    return {
      kind: "cluster",
      nodes: this.members.map((member) => ({ host: "127.0.0.1", port: member.port })),
      ...(this.security.passwords ? { auth: { password: securedRedis.dataPassword } } : {}),
      ...(this.security.tls ? { tls: { ca: readFileSync(securedRedis.caFile, "utf8") } } : {}),
    };
  }

  private alive(): Member[] {
    return this.members.filter(({ child }) => child.exitCode === null && child.signalCode === null);
  }

  /** What `member` says it is: `master`, or `slave` until it is promoted. */
  async role(member: Member): Promise<string> {
    const [role] = (await ask(member, "ROLE")) as [string];
    return role;
  }

  /** The master that serves `key`'s hash slot, as the first live node asked says. */
  async masterOf(key: string): Promise<Member> {
    const [asked] = this.alive() as [Member];
    const slot = Number(await ask(asked, "CLUSTER", "KEYSLOT", key));
    const ranges = (await ask(asked, "CLUSTER", "SLOTS")) as [number, number, [string, number]][];
    const range = ranges.find(([first, last]) => first <= slot && slot <= last);
    const member = this.members.find(({ port }) => port === range?.[2][1]);
    if (!member) throw new Error(`no master serves slot ${slot} (of ${key})`);
    return member;
  }

  /** The replicas `master` streams its writes to now. */
  async replicasOf(master: Member): Promise<Member[]> {
    const [, , replicas] = (await ask(master, "ROLE")) as [string, number, [string, string][]];
    return this.members.filter(({ port }) =>
      replicas.some(([, replicaPort]) => Number(replicaPort) === port),
    );
  }

  /** Whether every live node names `member` the master of `key`'s slot. */
  async allSay(key: string, member: Member): Promise<boolean> {
    const slot = Number(await ask(member, "CLUSTER", "KEYSLOT", key));
    const says = await Promise.all(
      this.alive().map(async (node) => {
        const ranges = (await ask(node, "CLUSTER", "SLOTS")) as [number, number, [string, number]][];
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
          const [next, keys] = (await ask(master, "SCAN", cursor, "MATCH", `${prefix}:*`, "COUNT", 1000)) as [
            string,
            string[],
          ];
          cursor = next;
          count += keys.length;
        } while (cursor !== "0");
        return count;
      }),
    );
  }

  stop(): Promise<void> {
    return tornDown(this.members, this.dir);
  }
}

/** Why redis-server cannot serve TLS here, or undefined when it can. */
export async function redisTlsUnavailable(): Promise<string | undefined> {
  try {
    await killed(await startMember([], { tls: true }));
    return undefined;
  } catch (error) {
    if (error instanceof RedisUnavailableError)
      return `redis-server does not start with TLS: ${error.message}`;
    throw error;
  }
}

/** One server, `requirepass`, TLS only: for a `rediss://` REDIS_URL. */
export class SecuredServer {
  private constructor(private readonly member: Member) {}

  static async start(): Promise<SecuredServer> {
    const password = securedRedis.dataPassword;
    return new SecuredServer(await startMember(["--requirepass", password], { tls: true, password }));
  }

  get url(): string {
    return `rediss://:${securedRedis.dataPassword}@127.0.0.1:${this.member.port}`;
  }

  stop(): Promise<void> {
    return killed(this.member);
  }
}
