import { type ChildProcess, execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { RedisUnavailableError, spawnRedisServer, startOnFreePort } from "../../src/queue/embedded-redis.js";
import { simulatorTls } from "../../src/simulators/tls-material.js";
import { until } from "./redis-topologies.js";

/**
 * Redis topologies that let nobody in without a password, and, with `tls`, speak TLS only (no
 * plaintext port), with the simulators' test certificate (127.0.0.1 and localhost) and test CA.
 */

/** The passwords and the ACL user of the setups below; test-only. */
export const securedRedis = {
  /** `requirepass` of the data nodes (the `default` user), and their `masterauth`. */
  dataPassword: "data-secret-one",
  /** An ACL user of the data nodes and of the Sentinels, with every right, for the gateway. */
  username: "pushgate",
  userPassword: "user-secret-two",
  /** `requirepass` of the Sentinels. */
  sentinelPassword: "sentinel-secret-three",
  /** The CA that signed the servers' certificate: `REDIS_TLS_CA_FILE`. */
  caFile: simulatorTls.caFile,
};

const throwaway = ["--save", "", "--appendonly", "no"];
const masterName = "pushgate";

/** How a client gets in to one server of a setup. */
interface Access {
  tls: boolean;
  username?: string;
  password: string;
}

interface Member {
  port: number;
  child: ChildProcess;
}

/** Arguments of a server that listens on `port` with TLS only, and speaks TLS to its master and cluster bus. */
function tlsArgs(port: number): string[] {
  return [
    "--port",
    "0",
    "--tls-port",
    String(port),
    "--tls-cert-file",
    simulatorTls.certFile,
    "--tls-key-file",
    simulatorTls.keyFile,
    "--tls-ca-cert-file",
    simulatorTls.caFile,
    "--tls-auth-clients",
    "no",
    "--tls-replication",
    "yes",
  ];
}

/** The ACL user of the gateway: every command, key and channel. */
const gatewayUser = [
  "--user",
  securedRedis.username,
  "on",
  `>${securedRedis.userPassword}`,
  "~*",
  "&*",
  "+@all",
];

function startMember(args: string[], tls: boolean, configFileOf?: (port: number) => string): Promise<Member> {
  return startOnFreePort(async (port) => {
    const configFile = configFileOf?.(port);
    const all = [...throwaway, ...args, ...(tls ? tlsArgs(port) : [])];
    return { port, child: await spawnRedisServer(port, all, { configFile }) };
  });
}

async function killed({ child }: Member): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => {
    child.once("exit", resolve);
    child.kill("SIGKILL");
  });
}

/** Asks the server at `port` one command, on a connection that gives up at once when nobody answers. */
async function ask(port: number, access: Access, command: string, ...args: (string | number)[]) {
  const redis = new Redis({
    host: "127.0.0.1",
    port,
    ...(access.username === undefined ? {} : { username: access.username }),
    password: access.password,
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

/** Why redis-server cannot serve TLS here, or undefined when it can. */
export async function redisTlsUnavailable(): Promise<string | undefined> {
  try {
    await killed(await startMember([], true));
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
    return new SecuredServer(await startMember(["--requirepass", securedRedis.dataPassword], true));
  }

  get url(): string {
    return `rediss://:${securedRedis.dataPassword}@127.0.0.1:${this.member.port}`;
  }

  stop(): Promise<void> {
    return killed(this.member);
  }
}

/**
 * One master, one replica and three Sentinels (quorum 2), as `SentinelSetup` in
 * redis-topologies.ts, but with passwords: the master and the replica take `requirepass` (and the
 * ACL user), and authenticate to each other (`masterauth`); the Sentinels take their own
 * `requirepass` (and the ACL user), and `sentinel auth-pass` to reach the master and the replica.
 */
export class SecuredSentinelSetup {
  private constructor(
    private readonly dir: string,
    private readonly tls: boolean,
    readonly master: Member,
    readonly replica: Member,
    private readonly sentinels: Member[],
  ) {}

  static async start({ tls = false }: { tls?: boolean } = {}): Promise<SecuredSentinelSetup> {
    const dir = mkdtempSync(path.join(tmpdir(), "pushgate-secured-sentinel-"));
    const dataArgs = [
      "--dir",
      dir,
      "--requirepass",
      securedRedis.dataPassword,
      "--masterauth",
      securedRedis.dataPassword,
      ...gatewayUser,
    ];
    const started: Member[] = [];
    let setup: SecuredSentinelSetup | undefined;
    try {
      const master = await startMember(dataArgs, tls);
      started.push(master);
      const replica = await startMember([...dataArgs, "--replicaof", "127.0.0.1", String(master.port)], tls);
      started.push(replica);
      setup = new SecuredSentinelSetup(dir, tls, master, replica, []);
      const data: Access = { tls, password: securedRedis.dataPassword };
      await until(
        async () =>
          /master_link_status:up/.test(String(await ask(replica.port, data, "INFO", "replication"))),
        "the replica in sync with the master",
      );
      for (let i = 0; i < 3; i++) {
        setup.sentinels.push(
          await startMember(["--sentinel", ...gatewayUser], tls, (port) => {
            const file = path.join(dir, `sentinel-${port}.conf`);
            writeFileSync(
              file,
              [
                `sentinel monitor ${masterName} 127.0.0.1 ${master.port} 2`,
                `sentinel auth-pass ${masterName} ${securedRedis.dataPassword}`,
                `sentinel down-after-milliseconds ${masterName} 1000`,
                `sentinel failover-timeout ${masterName} 5000`,
                `sentinel parallel-syncs ${masterName} 1`,
                // Also what each Sentinel gives the others.
                `requirepass ${securedRedis.sentinelPassword}`,
                "",
              ].join("\n"),
            );
            return file;
          }),
        );
      }
      const sentinelAccess: Access = { tls, password: securedRedis.sentinelPassword };
      for (const sentinel of setup.sentinels) {
        await until(async () => {
          const replicas = (await ask(
            sentinel.port,
            sentinelAccess,
            "SENTINEL",
            "REPLICAS",
            masterName,
          )) as unknown[];
          const others = (await ask(
            sentinel.port,
            sentinelAccess,
            "SENTINEL",
            "SENTINELS",
            masterName,
          )) as unknown[];
          return replicas.length === 1 && others.length === 2;
        }, `Sentinel ${sentinel.port} knowing the replica and the other Sentinels`);
      }
      return setup;
    } catch (error) {
      if (setup) await setup.stop();
      else {
        await Promise.all(started.map(killed));
        rmSync(dir, { recursive: true, force: true });
      }
      throw error;
    }
  }

  /**
   * The gateway's settings for this setup: the ACL user on the data nodes, the Sentinels'
   * `requirepass` (the `default` user), and, with TLS, the test CA.
   */
  get settings(): Record<string, string | boolean> {
    return {
      REDIS_SENTINELS: this.sentinels.map((sentinel) => `127.0.0.1:${sentinel.port}`).join(","),
      REDIS_SENTINEL_NAME: masterName,
      REDIS_USERNAME: securedRedis.username,
      REDIS_PASSWORD: securedRedis.userPassword,
      REDIS_SENTINEL_PASSWORD: securedRedis.sentinelPassword,
      ...(this.tls ? { REDIS_TLS: true, REDIS_TLS_CA_FILE: securedRedis.caFile } : {}),
    };
  }

  /**
   * Turns the gateway's ACL user off (its connections are cut, and it is refused when it comes
   * back) or on again, on the master and the replica.
   */
  async setGatewayUser(on: boolean): Promise<void> {
    const admin: Access = { tls: this.tls, password: securedRedis.dataPassword };
    for (const member of [this.master, this.replica]) {
      await ask(member.port, admin, "ACL", "SETUSER", securedRedis.username, on ? "on" : "off");
      if (!on) await ask(member.port, admin, "CLIENT", "KILL", "USER", securedRedis.username);
    }
  }

  async stop(): Promise<void> {
    await Promise.all([this.master, this.replica, ...this.sentinels].map(killed));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Why `openssl` cannot make the cluster bus's certificate here, or undefined when it can. */
export function opensslUnavailable(): string | undefined {
  return spawnSync("openssl", ["version"], { stdio: "ignore" }).status === 0
    ? undefined
    : "openssl is not on PATH (it makes the cluster bus's client certificate)";
}

/**
 * The cluster bus authenticates both ends whatever `tls-auth-clients` says, and the simulators'
 * certificate is for servers only: each node presents a throwaway self-signed client certificate,
 * made in `dir`, and trusts it besides the test CA. Clients still check the nodes against the test CA.
 */
async function clusterBusTls(dir: string): Promise<string[]> {
  const cert = path.join(dir, "bus.pem");
  const key = path.join(dir, "bus.key");
  const trusted = path.join(dir, "trusted.pem");
  // biome-ignore format: one option and its value a line
  await promisify(execFile)("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=pushgate-test-cluster-bus",
    "-addext", "extendedKeyUsage=clientAuth", "-addext", "keyUsage=critical,digitalSignature",
  ]);
  writeFileSync(trusted, readFileSync(securedRedis.caFile, "utf8") + readFileSync(cert, "utf8"));
  return ["--tls-ca-cert-file", trusted, "--tls-client-cert-file", cert, "--tls-client-key-file", key];
}

/**
 * A Redis Cluster of three masters, no replicas, as `ClusterSetup` in redis-topologies.ts, but its
 * nodes take `requirepass` (and `masterauth`), and, with `tls`, speak TLS to clients and on the
 * cluster bus.
 */
export class SecuredClusterSetup {
  private constructor(
    private readonly dir: string,
    private readonly tls: boolean,
    readonly masters: Member[],
  ) {}

  static async start({ tls = false }: { tls?: boolean } = {}): Promise<SecuredClusterSetup> {
    const dir = mkdtempSync(path.join(tmpdir(), "pushgate-secured-cluster-"));
    const setup = new SecuredClusterSetup(dir, tls, []);
    try {
      const busTls = tls ? await clusterBusTls(dir) : [];
      for (let i = 0; i < 3; i++) {
        setup.masters.push(
          await startOnFreePort(async (port) => ({
            port,
            child: await spawnRedisServer(port, [
              ...throwaway,
              "--dir",
              dir,
              "--cluster-enabled",
              "yes",
              "--cluster-node-timeout",
              "2000",
              "--cluster-config-file",
              path.join(dir, `nodes-${port}.conf`),
              "--requirepass",
              securedRedis.dataPassword,
              "--masterauth",
              securedRedis.dataPassword,
              ...(tls ? [...tlsArgs(port), "--tls-cluster", "yes", ...busTls] : []),
            ]),
          })),
        );
      }
      await promisify(execFile)(
        "redis-cli",
        [
          ...(tls ? ["--tls", "--cacert", securedRedis.caFile] : []),
          "--cluster",
          "create",
          ...setup.masters.map((master) => `127.0.0.1:${master.port}`),
          "--cluster-replicas",
          "0",
          "--cluster-yes",
        ],
        // Not on the command line, where any process could read it.
        { env: { ...process.env, REDISCLI_AUTH: securedRedis.dataPassword } },
      );
      const access: Access = { tls, password: securedRedis.dataPassword };
      for (const master of setup.masters) {
        await until(
          async () => /cluster_state:ok/.test(String(await ask(master.port, access, "CLUSTER", "INFO"))),
          `cluster node ${master.port} seeing the cluster ok`,
        );
      }
      return setup;
    } catch (error) {
      await setup.stop();
      throw error;
    }
  }

  /** The gateway's settings for this cluster: the nodes' `requirepass`, and, with TLS, the test CA. */
  get settings(): Record<string, string | boolean> {
    return {
      REDIS_CLUSTER_NODES: this.masters.map((master) => `127.0.0.1:${master.port}`).join(","),
      REDIS_PASSWORD: securedRedis.dataPassword,
      ...(this.tls ? { REDIS_TLS: true, REDIS_TLS_CA_FILE: securedRedis.caFile } : {}),
    };
  }

  async stop(): Promise<void> {
    await Promise.all(this.masters.map(killed));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
