import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { deleteKeysUnder } from "../../src/queue/redis-keys.js";
import { GatewayClient } from "../client/gateway-client.js";
import { type BenchApp, createApp } from "../client/population.js";
import { CustomerWebhook } from "./customer-webhook.js";
import { GatewayCluster } from "./gateway-cluster.js";
import { PrivateRedis } from "./private-redis.js";
import { QueueWatch } from "./queue-watch.js";
import { SimulatorLink } from "./simulator-link.js";

export interface BenchWorldOptions {
  /** Logs and CPU profiles of this run. */
  runDir: string;
  /** An existing Redis to use; without it a private redis-server (AOF on) is started. */
  redisUrl?: string;
  /** `--cpu-prof` the api, worker and simulator processes. */
  profile: boolean;
  /** Settings for both gateway processes, over the bench's own (e.g. `--set FANOUT_CHUNK_SIZE=250`). */
  settings: Record<string, string>;
}

/** Loopback only: Redis, the simulators, a customer's webhook, and the gateway as `api` + `worker`. */
export class BenchWorld {
  private constructor(
    readonly redisUrl: string,
    readonly privateRedis: PrivateRedis | undefined,
    readonly prefix: string,
    readonly sims: SimulatorLink,
    readonly webhook: CustomerWebhook,
    readonly cluster: GatewayCluster,
    readonly client: GatewayClient,
    readonly queues: QueueWatch,
    readonly adminToken: string,
    /** What both gateway processes run with, besides `config/default.json`. */
    readonly gatewayEnv: Record<string, string>,
    private readonly dataDir: string,
  ) {}

  static async start(options: BenchWorldOptions): Promise<BenchWorld> {
    const dataDir = mkdtempSync(path.join(tmpdir(), "pushgate-bench-"));
    const logDir = path.join(options.runDir, "logs");
    mkdirSync(logDir, { recursive: true });
    const privateRedis = options.redisUrl ? undefined : await PrivateRedis.start(path.join(dataDir, "redis"));
    const redisUrl = options.redisUrl ?? (privateRedis as PrivateRedis).url;
    const prefix = `bench-${randomBytes(4).toString("hex")}`;
    const profileDir = options.profile ? path.join(options.runDir, "profiles") : undefined;
    const sims = await SimulatorLink.start(profileDir && path.join(profileDir, "simulators"));
    const webhook = await CustomerWebhook.start();
    const adminToken = `bench-admin-${randomBytes(16).toString("hex")}`;
    const gatewayEnv: Record<string, string> = {
      DATA_DIR: dataDir,
      DATABASE_URL: `sqlite:${path.join(dataDir, "pushgate.db")}`,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      PUSHGATE_ADMIN_TOKEN: adminToken,
      PUSHGATE_SECRET_KEY: randomBytes(32).toString("base64"),
      ...sims.env,
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      ALLOW_PRIVATE_WEBHOOK_TARGETS: "true",
      RATE_LIMIT_SESSIONS_PER_MINUTE: "100000000",
      RATE_LIMIT_DEVICE_WRITES_PER_MINUTE: "100000000",
      ...options.settings,
    };
    const cluster = await GatewayCluster.start({
      env: { PATH: process.env.PATH ?? "", ...gatewayEnv },
      logDir,
      profileDir,
    });
    return new BenchWorld(
      redisUrl,
      privateRedis,
      prefix,
      sims,
      webhook,
      cluster,
      new GatewayClient(cluster.apiUrl),
      QueueWatch.open(redisUrl, prefix),
      adminToken,
      gatewayEnv,
      dataDir,
    );
  }

  /** An app whose FCM and APNs credentials the simulators accept. */
  async createApp(fields: Record<string, unknown> = {}): Promise<BenchApp> {
    return createApp(this.client, this.adminToken, await this.sims.registerApp(), fields);
  }

  async close(): Promise<void> {
    this.client.close();
    await this.queues.close();
    await this.cluster.stop();
    await Promise.all([this.sims.close(), this.webhook.close()]);
    if (this.privateRedis) await this.privateRedis.stop();
    else await deleteKeysUnder(this.redisUrl, this.prefix);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
