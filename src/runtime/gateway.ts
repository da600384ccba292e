import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Queue } from "bullmq";
import type { Express } from "express";
import type { Redis } from "ioredis";
import type { Settings } from "../config/settings.js";
import { AppService } from "../domain/apps/app-service.js";
import { DeviceService } from "../domain/devices/device-service.js";
import { SyncTokens } from "../domain/devices/sync-token.js";
import { SessionService } from "../domain/sessions/session-service.js";
import { createHttpApp } from "../http/http-app.js";
import { createAuthenticator } from "../http/middleware/auth.js";
import { deviceWriteLimit, sessionCreationLimit } from "../http/middleware/rate-limit.js";
import { operations } from "../http/openapi/catalog/index.js";
import { apiReferenceRoutes } from "../http/routes/api-reference.js";
import { appRoutes } from "../http/routes/apps.js";
import { channelRoutes } from "../http/routes/channels.js";
import { deviceRoutes } from "../http/routes/devices.js";
import { eventRoutes } from "../http/routes/events.js";
import { healthRoutes } from "../http/routes/health.js";
import { metricsRoutes } from "../http/routes/metrics.js";
import { notificationSettingsRoutes } from "../http/routes/notification-settings.js";
import { queueDashboardRoutes } from "../http/routes/queue-dashboard.js";
import { sessionRoutes } from "../http/routes/sessions.js";
import { createLogger, type Logger } from "../observability/logger.js";
import { GatewayMetrics } from "../observability/metrics.js";
import { DeliveryProcessor } from "../pipeline/deliver.js";
import { DeliveryLedger } from "../pipeline/delivery-ledger.js";
import { WebhookForwarder } from "../pipeline/forward-to-webhook.js";
import { EventIntake } from "../pipeline/ingest/event-intake.js";
import type { DeliveryJob, EventJob, WebhookJob } from "../pipeline/jobs.js";
import { EventProcessor } from "../pipeline/process-event.js";
import { EventReplayer } from "../pipeline/replay-events.js";
import { PushDispatcher } from "../providers/push-dispatcher.js";
import { BullEventQueue, BullJobQueue } from "../queue/pipeline-queues.js";
import { createQueue, type QueueName, queueNames } from "../queue/queues.js";
import { connectRedis, resolveRedis, whenReady } from "../queue/redis.js";
import { deriveKey } from "../security/derive-key.js";
import { localSecret, newAdminToken, newSecretBoxKey } from "../security/local-keys.js";
import { SecretBox } from "../security/secret-box.js";
import { openStore } from "../storage/open-store.js";
import type { Store } from "../storage/store.js";
import { AppSlots } from "../webhooks/app-slots.js";
import { checkWebhookTarget } from "../webhooks/target-guard.js";
import { WebhookClient } from "../webhooks/webhook-client.js";
import { startMaintenance } from "../worker/maintenance.js";
import { startPipelineWorkers } from "../worker/pipeline-workers.js";
import { gatewayVersion } from "./version.js";

export type Role = Settings["PUSHGATE_ROLE"];

const hourMs = 3_600_000;

/** One running gateway process: the HTTP edge, the workers, or both (`PUSHGATE_ROLE`). */
export class Gateway {
  private server?: Server;
  private app?: Express;
  private metricsServer?: Server;
  /** Handles on every queue, for the metrics and the dashboard. */
  private watchedQueues?: Queue[];
  readonly metrics = new GatewayMetrics();
  private readonly closers: (() => Promise<unknown>)[] = [];
  private readonly connections: Redis[] = [];

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

  /** The express app, when this process serves HTTP. */
  get httpApp(): Express | undefined {
    return this.app;
  }

  /** The address of the metrics-only listener, when `METRICS_PORT` is set. */
  get metricsUrl(): string | undefined {
    const address = this.metricsServer?.address() as AddressInfo | null | undefined;
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
    const store = await openStore(
      settings.DATABASE_URL,
      new SecretBox(deriveKey(masterKey, "secret-box")),
      settings.DATABASE_POOL_SIZE,
    );
    const redis = await resolveRedis(settings.REDIS_URL, settings.DATA_DIR, logger);
    const gateway = new Gateway(settings, logger, store, adminToken.value, masterKey, redis.url);
    gateway.closers.push(() => store.close());
    if (redis.stop) gateway.closers.push(redis.stop);
    try {
      if (settings.PUSHGATE_ROLE !== "api") await gateway.startWorkers();
      if (settings.PUSHGATE_ROLE !== "worker") await gateway.startHttp();
      if (settings.METRICS_PORT !== undefined) await gateway.startMetricsListener(settings.METRICS_PORT);
    } catch (error) {
      await gateway.close();
      throw error;
    }
    logger.info({ role: settings.PUSHGATE_ROLE, url: gateway.url, store: store.kind }, "pushgate started");
    return gateway;
  }

  private connect(role: Parameters<typeof connectRedis>[1]): Redis {
    const redis = connectRedis(this.redisUrl, role, this.logger);
    this.connections.push(redis);
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
    const auth = createAuthenticator(this.adminToken, store.apps, store.sessions);
    const eventQueue = new BullEventQueue(this.queue<EventJob>(queueNames.events, producer));
    const apps = new AppService(store.apps, {
      rotationOverlapSeconds: settings.SECRET_ROTATION_OVERLAP_SECONDS,
      checkWebhookUrl: settings.ALLOW_PRIVATE_WEBHOOK_TARGETS ? async () => {} : checkWebhookTarget,
    });
    const { HTTP_BODY_LIMIT_BYTES: bodyLimitBytes, REDIS_PREFIX: prefix } = settings;
    const sessions = new SessionService(store.sessions, store.apps, {
      ttlSeconds: settings.SESSION_TTL_SECONDS,
    });
    const syncKey = deriveKey(this.masterKey, "sync-token");
    const devices = new DeviceService(
      store.devices,
      store.tokens,
      new SyncTokens(syncKey, settings.SYNC_TOKEN_TTL_SECONDS),
    );
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
        eventRoutes(
          {
            apps: store.apps,
            events: store.events,
            intake: new EventIntake(store.events, eventQueue),
            replayer: new EventReplayer(store.events, eventQueue),
            auth,
            observer: this.metrics.events,
          },
          {
            bodyLimitBytes: settings.HTTP_BODY_LIMIT_BYTES,
            toleranceSeconds: settings.EVENT_TIMESTAMP_TOLERANCE_SECONDS,
            batchMax: settings.EVENT_BATCH_MAX,
            retryAfterSeconds: 5,
          },
        ),
        channelRoutes(store.channels, auth, settings.HTTP_BODY_LIMIT_BYTES),
        sessionRoutes(sessions, auth, {
          bodyLimitBytes,
          creationLimit: sessionCreationLimit(producer, prefix, settings.RATE_LIMIT_SESSIONS_PER_MINUTE),
        }),
        deviceRoutes(devices, auth, {
          bodyLimitBytes,
          writeLimit: deviceWriteLimit(producer, prefix, settings.RATE_LIMIT_DEVICE_WRITES_PER_MINUTE),
        }),
        notificationSettingsRoutes(store.notificationSettings, apps, auth, { bodyLimitBytes }),
        metricsRoutes(this.metrics),
        apiReferenceRoutes(operations, gatewayVersion),
        queueDashboardRoutes(this.queuesToWatch(), this.adminToken),
      ],
    });
    this.app = app;
    this.server = await this.listen(app, settings.PORT);
  }

  /** A listener for `/metrics` alone: `worker` processes have no other. */
  private async startMetricsListener(port: number): Promise<void> {
    this.queuesToWatch();
    const app = createHttpApp({
      logger: this.logger,
      trustProxy: this.settings.HTTP_TRUST_PROXY,
      routers: [metricsRoutes(this.metrics)],
    });
    this.metricsServer = await this.listen(app, port);
  }

  private async listen(app: Express, port: number): Promise<Server> {
    const server = app.listen(port, this.settings.HOST);
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
    this.closers.unshift(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        }),
    );
    return server;
  }

  /** On a fail-fast connection of their own, so a scrape answers at once while Redis is down. */
  private queuesToWatch(): Queue[] {
    if (!this.watchedQueues) {
      const connection = this.connect("general");
      this.watchedQueues = Object.values(queueNames).map((name) => this.queue(name, connection));
      this.metrics.watchQueues(this.watchedQueues);
    }
    return this.watchedQueues;
  }

  private queue<Data>(name: QueueName, connection: Redis): Queue<Data> {
    const queue = createQueue<Data>(name, connection, this.settings.REDIS_PREFIX, this.logger);
    this.closers.unshift(() => queue.close());
    return queue;
  }

  private async startWorkers(): Promise<void> {
    const { store, settings, logger } = this;
    const connection = this.connect("worker");
    const sender = new PushDispatcher({
      fcmEndpoint: settings.FCM_ENDPOINT,
      apnsProductionEndpoint: settings.APNS_PRODUCTION_ENDPOINT,
      apnsSandboxEndpoint: settings.APNS_SANDBOX_ENDPOINT,
      caFile: settings.PROVIDER_CA_FILE,
      apnsMaxStreamsInFlight: settings.APNS_MAX_STREAMS_IN_FLIGHT,
      concurrency: settings.DELIVERY_CONCURRENCY,
      logger,
    });
    this.closers.unshift(() => sender.close());
    const deliveryQueue = new BullJobQueue(
      this.queue<DeliveryJob>(queueNames.deliveries, connection),
      "delivery",
    );
    const webhookQueue = new BullJobQueue(this.queue<WebhookJob>(queueNames.webhooks, connection), "webhook");
    const retry = { baseMs: settings.DELIVERY_RETRY_BASE_MS, maxMs: settings.DELIVERY_RETRY_MAX_MS };
    const workers = startPipelineWorkers(
      {
        events: new EventProcessor(store, store.audience, deliveryQueue, webhookQueue, {
          fanoutChunkSize: settings.FANOUT_CHUNK_SIZE,
        }),
        deliveries: new DeliveryProcessor(
          store,
          store.tokens,
          sender,
          new DeliveryLedger(connection, settings.REDIS_PREFIX),
          deliveryQueue,
          retry,
          this.metrics.deliveries,
        ),
        webhooks: new WebhookForwarder(
          store,
          store.audience,
          new WebhookClient({
            allowPrivateTargets: settings.ALLOW_PRIVATE_WEBHOOK_TARGETS,
            responseLimitBytes: settings.WEBHOOK_RESPONSE_LIMIT_BYTES,
            userAgent: `pushgate/${gatewayVersion}`,
          }),
          new AppSlots(connection, settings.REDIS_PREFIX, settings.WEBHOOK_APP_CONCURRENCY),
          deliveryQueue,
          webhookQueue,
          { fanoutChunkSize: settings.FANOUT_CHUNK_SIZE, maxAttempts: settings.WEBHOOK_MAX_ATTEMPTS, retry },
          this.metrics.webhooks,
        ),
      },
      store,
      {
        connection,
        prefix: settings.REDIS_PREFIX,
        eventConcurrency: settings.EVENT_WORKER_CONCURRENCY,
        deliveryConcurrency: settings.DELIVERY_WORKER_CONCURRENCY,
        webhookConcurrency: settings.WEBHOOK_WORKER_CONCURRENCY,
        lockDurationMs: settings.WORKER_LOCK_DURATION_MS,
        stalledIntervalMs: settings.WORKER_STALLED_INTERVAL_MS,
      },
      logger,
    );
    this.closers.unshift(() => workers.close());
    const dayMs = 24 * hourMs;
    const maintenance = await startMaintenance(
      [
        { name: "purge-expired-secrets", everyMs: hourMs, run: (now) => store.apps.purgeExpiredSecrets(now) },
        { name: "purge-expired-sessions", everyMs: hourMs, run: (now) => store.sessions.purgeExpired(now) },
        {
          name: "purge-old-events",
          everyMs: hourMs,
          run: (now) =>
            store.events.purgeReceivedBefore(new Date(now.getTime() - settings.EVENT_RETENTION_DAYS * dayMs)),
        },
      ],
      connection,
      settings.REDIS_PREFIX,
      logger,
    );
    this.closers.unshift(() => maintenance.close());
  }

  /**
   * Stops taking requests, lets running jobs finish (bounded by SHUTDOWN_TIMEOUT_MS),
   * then closes Redis and the database. Past the deadline, connections are cut.
   */
  async close(): Promise<void> {
    const deadline = Date.now() + this.settings.SHUTDOWN_TIMEOUT_MS;
    const closers = this.closers.splice(0);
    for (const close of closers) {
      const left = deadline - Date.now();
      if (left <= 0) this.cutConnections();
      try {
        await withTimeout(close(), Math.max(left, 1000));
      } catch (error) {
        this.logger.error({ err: error }, "shutdown step failed or took too long; cutting connections");
        this.cutConnections();
      }
    }
  }

  private cutConnections(): void {
    this.server?.closeAllConnections();
    this.metricsServer?.closeAllConnections();
    for (const redis of this.connections) redis.disconnect();
  }
}

function withTimeout(work: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no end within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
