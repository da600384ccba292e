import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { deleteKeysUnder } from "../../src/queue/redis-keys.js";
import { freshPostgresDatabase } from "../../test/support/test-database.js";
import { GatewayClient } from "../client/gateway-client.js";
import { type BenchApp, createApp } from "../client/population.js";
import { CustomerWebhook } from "./customer-webhook.js";
import { GatewayCluster } from "./gateway-cluster.js";
import type { GatewayBuild } from "./gateway-process.js";
import { PrivateRedis } from "./private-redis.js";
import { QueueWatch } from "./queue-watch.js";
import { SimulatorLink } from "./simulator-link.js";
import { Teardown } from "./teardown.js";

export interface BenchWorldOptions {
  /** Logs and CPU profiles of this run. */
  runDir: string;
  /** An existing Redis to use; without it a private redis-server (AOF on) is started. */
  redisUrl?: string;
  /** `--cpu-prof` the api, worker and simulator processes. */
  profile: boolean;
  /** Settings for both gateway processes, over the bench's own (e.g. `--set FANOUT_CHUNK_SIZE=250`). */
  settings: Record<string, string>;
  /** A PostgreSQL server to run on, in a database of the run's own; without it a SQLite file. */
  postgresServer?: string;
  /** Worker processes to start (default 1). */
  workers?: number;
  /** What the gateway processes run: the source under tsx (default) or `dist/`. */
  build?: GatewayBuild;
}

/** Loopback only: Redis, the simulators, a customer's webhook, and the gateway as `api` + `worker`. */
export class BenchWorld {
  declare readonly redisUrl: string;
  /** Undefined when `REDIS_URL` named an existing Redis. */
  declare readonly privateRedis: PrivateRedis | undefined;
  declare readonly prefix: string;
  declare readonly sims: SimulatorLink;
  declare readonly webhook: CustomerWebhook;
  declare readonly cluster: GatewayCluster;
  declare readonly client: GatewayClient;
  declare readonly queues: QueueWatch;
  declare readonly adminToken: string;
  /** What both gateway processes run with, besides `config/default.json`. */
  declare readonly gatewayEnv: Record<string, string>;

  private constructor(
    parts: Omit<BenchWorld, "createApp" | "close" | "redisProcess" | "pipelineProcesses">,
    private readonly teardown: Teardown,
  ) {
    Object.assign(this, parts);
  }

  static async start(options: BenchWorldOptions): Promise<BenchWorld> {
    const teardown = new Teardown();
    const dataDir = mkdtempSync(path.join(tmpdir(), "pushgate-bench-"));
    teardown.add("the data folder", () => rmSync(dataDir, { recursive: true, force: true }));
    return teardown.guard(async () => {
      const logDir = path.join(options.runDir, "logs");
      mkdirSync(logDir, { recursive: true });
      const prefix = `bench-${randomBytes(4).toString("hex")}`;
      let redisUrl = options.redisUrl;
      let privateRedis: PrivateRedis | undefined;
      if (redisUrl) {
        const url = redisUrl;
        teardown.add("the bench's Redis keys", () => deleteKeysUnder(url, prefix));
      } else {
        const started = await PrivateRedis.start(path.join(dataDir, "redis"));
        teardown.add("the private Redis", () => started.stop());
        privateRedis = started;
        redisUrl = started.url;
      }
      const profileDir = options.profile ? path.join(options.runDir, "profiles") : undefined;
      const sims = await SimulatorLink.start(profileDir && path.join(profileDir, "simulators"));
      teardown.add("the simulators", () => sims.close());
      const webhook = await CustomerWebhook.start();
      teardown.add("the customer webhook", () => webhook.close());
      let databaseUrl = `sqlite:${path.join(dataDir, "pushgate.db")}`;
      if (options.postgresServer) {
        const database = freshPostgresDatabase(options.postgresServer, "pushgate_bench");
        await database.create();
        teardown.add("the PostgreSQL database", () => database.drop());
        databaseUrl = database.url;
      }
      const adminToken = `bench-admin-${randomBytes(16).toString("hex")}`;
      const gatewayEnv: Record<string, string> = {
        DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        REDIS_PREFIX: prefix,
        PUSHGATE_ADMIN_TOKEN: adminToken,
        PUSHGATE_SECRET_KEY: randomBytes(32).toString("base64"),
        ...sims.env,
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
        ALLOW_PRIVATE_WEBHOOK_TARGETS: "true",
        RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE: "100000000",
        RATE_LIMIT_SIGN_IN_PER_APP_PER_SECOND: "100000000",
        RATE_LIMIT_DEVICE_WRITES_PER_MINUTE: "100000000",
        ...options.settings,
      };
      const cluster = await GatewayCluster.start({
        env: { PATH: process.env.PATH ?? "", ...gatewayEnv },
        logDir,
        profileDir,
        workers: options.workers,
        build: options.build,
      });
      teardown.add("the gateway processes", () => cluster.stop());
      const queues = QueueWatch.open(redisUrl, prefix);
      teardown.add("the queue watch", () => queues.close());
      const client = new GatewayClient(cluster.apiUrl);
      teardown.add("the HTTP client", () => client.close());
      return new BenchWorld(
        { redisUrl, privateRedis, prefix, sims, webhook, cluster, client, queues, adminToken, gatewayEnv },
        teardown,
      );
    });
  }

  /** The Redis server's process id when the bench started its own, by name, for CPU figures; none otherwise. */
  redisProcess(): Record<string, number> {
    const pid = this.privateRedis?.pid;
    return pid === undefined ? {} : { redis: pid };
  }

  /** Every process of the gateway's pipeline, by name, for CPU figures: api, workers, Redis, simulators. */
  pipelineProcesses(): Record<string, number> {
    const workers = this.cluster.workers;
    return {
      api: this.cluster.api.pid,
      ...Object.fromEntries(
        workers.map((worker, index) => [workers.length === 1 ? "worker" : `worker-${index + 1}`, worker.pid]),
      ),
      ...this.redisProcess(),
      simulators: this.sims.pid,
    };
  }

  /** An app whose FCM and APNs credentials the simulators accept. */
  async createApp(fields: Record<string, unknown> = {}): Promise<BenchApp> {
    return createApp(this.client, this.adminToken, await this.sims.registerApp(), fields);
  }

  /** Stops everything `start` started, newest first. */
  close(): Promise<void> {
    return this.teardown.run();
  }
}
