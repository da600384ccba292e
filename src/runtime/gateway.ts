import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Redis } from "ioredis";
import type { Settings } from "../config/settings.js";
import { AppService } from "../domain/apps/app-service.js";
import { createHttpApp } from "../http/http-app.js";
import { createAuthenticator } from "../http/middleware/auth.js";
import { appRoutes } from "../http/routes/apps.js";
import { healthRoutes } from "../http/routes/health.js";
import { createLogger, type Logger } from "../observability/logger.js";
import { connectRedis, resolveRedis, whenReady } from "../queue/redis.js";
import { deriveKey } from "../security/derive-key.js";
import { localSecret, newAdminToken, newSecretBoxKey } from "../security/local-keys.js";
import { SecretBox } from "../security/secret-box.js";
import { openStore } from "../storage/open-store.js";
import type { Store } from "../storage/store.js";
import { startMaintenance } from "../worker/maintenance.js";

export type Role = Settings["PUSHGATE_ROLE"];

const hourMs = 3_600_000;

/** One running gateway process: the HTTP edge, the workers, or both (`PUSHGATE_ROLE`). */
export class Gateway {
  private server?: Server;
  private readonly closers: (() => Promise<unknown>)[] = [];

  private constructor(
    readonly settings: Settings,
    readonly logger: Logger,
    readonly store: Store,
    readonly adminToken: string,
    /** Master key of this gateway (`PUSHGATE_SECRET_KEY`): seals stored secrets, derives signing keys. */
    readonly masterKey: Buffer,
    readonly redisUrl: string,
  ) {}

  /** The listening address, when this process serves HTTP. */
  get url(): string | undefined {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address ? `http://${this.settings.HOST}:${address.port}` : undefined;
  }

  static async start(
    settings: Settings,
    logger: Logger = createLogger(settings.LOG_LEVEL),
  ): Promise<Gateway> {
    const adminToken = localSecret(
      settings.PUSHGATE_ADMIN_TOKEN,
      settings.DATA_DIR,
      "admin-token",
      newAdminToken,
    );
    if (adminToken.generated) {
      logger.warn(
        { file: `${settings.DATA_DIR}/admin-token` },
        `generated the admin token (shown once, kept in DATA_DIR): ${adminToken.value}`,
      );
    }
    const secretKey = localSecret(
      settings.PUSHGATE_SECRET_KEY,
      settings.DATA_DIR,
      "secret-key",
      newSecretBoxKey,
    );
    const masterKey = Buffer.from(secretKey.value, "base64");
    const store = await openStore(settings.DATABASE_URL, new SecretBox(deriveKey(masterKey, "secret-box")));
    const redis = await resolveRedis(settings.REDIS_URL, settings.DATA_DIR, logger);
    const gateway = new Gateway(settings, logger, store, adminToken.value, masterKey, redis.url);
    gateway.closers.push(() => store.close());
    if (redis.stop) gateway.closers.push(redis.stop);
    try {
      if (settings.PUSHGATE_ROLE !== "api") await gateway.startWorkers();
      if (settings.PUSHGATE_ROLE !== "worker") await gateway.startHttp();
    } catch (error) {
      await gateway.close();
      throw error;
    }
    logger.info({ role: settings.PUSHGATE_ROLE, url: gateway.url, store: store.kind }, "pushgate started");
    return gateway;
  }

  private connect(role: Parameters<typeof connectRedis>[1]): Redis {
    const redis = connectRedis(this.redisUrl, role, this.logger);
    this.closers.unshift(() => redis.quit().catch(() => redis.disconnect()));
    return redis;
  }

  private async startHttp(): Promise<void> {
    const { settings, store } = this;
    const producer = this.connect("producer");
    if (!(await whenReady(producer, 5000))) {
      this.logger.warn(
        { redis: this.redisUrl },
        "Redis is not answering yet: events are refused with 503 until it is",
      );
    }
    const auth = createAuthenticator(this.adminToken, store.apps);
    const apps = new AppService(store.apps, {
      rotationOverlapSeconds: settings.SECRET_ROTATION_OVERLAP_SECONDS,
      checkWebhookUrl: async () => {},
    });
    const app = createHttpApp({
      logger: this.logger,
      trustProxy: settings.HTTP_TRUST_PROXY,
      routers: [
        healthRoutes({
          redis: async () => void (await producer.ping()),
          database: () => store.ping(),
        }),
        appRoutes(apps, auth, {
          bodyLimitBytes: settings.HTTP_BODY_LIMIT_BYTES,
          defaultNotificationTtlSeconds: settings.DEFAULT_NOTIFICATION_TTL_SECONDS,
          defaultWebhookTimeoutMs: settings.WEBHOOK_DEFAULT_TIMEOUT_MS,
        }),
      ],
    });
    const server = app.listen(settings.PORT, settings.HOST);
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
    this.server = server;
    this.closers.unshift(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        }),
    );
  }

  private async startWorkers(): Promise<void> {
    const { store, settings } = this;
    const maintenance = await startMaintenance(
      [{ name: "purge-expired-secrets", everyMs: hourMs, run: (now) => store.apps.purgeExpiredSecrets(now) }],
      this.connect("worker"),
      settings.REDIS_PREFIX,
      this.logger,
    );
    this.closers.unshift(() => maintenance.close());
  }

  /**
   * Stops taking requests, lets running jobs finish (bounded by SHUTDOWN_TIMEOUT_MS),
   * then closes Redis and the database.
   */
  async close(): Promise<void> {
    const deadline = setTimeout(() => {
      this.logger.error("shutdown took longer than SHUTDOWN_TIMEOUT_MS; closing connections");
      this.server?.closeAllConnections();
    }, this.settings.SHUTDOWN_TIMEOUT_MS);
    deadline.unref();
    const closers = this.closers.splice(0);
    for (const close of closers) {
      try {
        await close();
      } catch (error) {
        this.logger.error({ err: error }, "error while shutting down");
      }
    }
    clearTimeout(deadline);
  }
}
