import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Queue } from "bullmq";
import type { Express } from "express";
import type { Settings } from "../config/settings.js";
import { type Clock, systemClock } from "../domain/clock.js";
import { metricsListener } from "../http/metrics-listener.js";
import { createLogger, type Logger } from "../observability/logger.js";
import { GatewayMetrics } from "../observability/metrics.js";
import { queueNames } from "../queue/queues.js";
import { resolveRedis } from "../queue/redis.js";
import { checkRedisAccess } from "../queue/redis-access.js";
import { RedisAppChangeFeed } from "../queue/redis-app-changes.js";
import { redisKeys } from "../queue/redis-keys.js";
import { describeRedisTarget, type RedisTarget } from "../queue/redis-target.js";
import { CachedAppRepository, withCachedRepositories } from "../storage/cached-apps.js";
import { CachedTemplateRepository } from "../storage/cached-templates.js";
import type { Store } from "../storage/store.js";
import { adminTokenOf, masterKeyOf, openGatewayStore } from "./gateway-keys.js";
import { ProcessResources } from "./process-resources.js";
import type { RoleContext } from "./role-context.js";

export type Role = Settings["PUSHGATE_ROLE"];

/** One running gateway process: the HTTP edge, the workers, or both (`PUSHGATE_ROLE`). */
export class Gateway {
  private server?: Server;
  private app?: Express;
  private metricsServer?: Server;
  private watchedQueues?: Queue[];

  private constructor(
    private readonly context: RoleContext,
    /** Where this gateway's Redis is (a private server's URL when it started one). */
    readonly redis: RedisTarget,
  ) {}

  /** The Redis's URL, or its Sentinels or Cluster nodes, for a reader. */
  get redisUrl(): string {
    return describeRedisTarget(this.redis);
  }

  get settings(): Settings {
    return this.context.settings;
  }

  get logger(): Logger {
    return this.context.logger;
  }

  get store(): Store {
    return this.context.store;
  }

  get adminToken(): string {
    return this.context.adminToken;
  }

  /** Seals stored secrets and derives signing keys (`PUSHGATE_SECRET_KEY`). */
  get masterKey(): Buffer {
    return this.context.masterKey;
  }

  get metrics(): GatewayMetrics {
    return this.context.metrics;
  }

  /** The listening address, when this process serves HTTP. */
  get url(): string | undefined {
    return this.addressOf(this.server);
  }

  /** The express app, when this process serves HTTP. */
  get httpApp(): Express | undefined {
    return this.app;
  }

  /** The address of the metrics-only listener, when `METRICS_PORT` is set. */
  get metricsUrl(): string | undefined {
    return this.addressOf(this.metricsServer);
  }

  static async start(
    settings: Settings,
    logger: Logger = createLogger(settings.LOG_LEVEL),
    clock: Clock = systemClock,
  ): Promise<Gateway> {
    const adminToken = adminTokenOf(settings, logger);
    const masterKey = masterKeyOf(settings);
    const metrics = new GatewayMetrics(clock);
    const database = await openGatewayStore(settings, masterKey, metrics.statements);
    const redis = await resolveRedis(settings, logger).catch(async (error: unknown) => {
      await database.close();
      throw error;
    });
    // A password or certificate Redis refuses stops the start with the setting's name, not a hang.
    await checkRedisAccess(redis.target).catch(async (error: unknown) => {
      await redis.stop?.();
      await database.close();
      throw error;
    });
    const resources = new ProcessResources(
      { target: redis.target, commandTimeoutMs: settings.REDIS_COMMAND_TIMEOUT_MS },
      settings.REDIS_PREFIX,
      logger,
    );
    resources.onClose(() => database.close());
    if (redis.stop) resources.onClose(redis.stop);
    const store = await withCaches(database, resources, settings, logger);
    const gateway = new Gateway(
      { settings, logger, store, metrics, resources, adminToken, masterKey, clock },
      redis.target,
    );
    try {
      // Each role's modules are loaded only where it runs: a worker never holds the HTTP edge
      // and the console in memory, nor an api the workers.
      if (settings.PUSHGATE_ROLE !== "api") {
        const { startWorkerRole } = await import("./worker-role.js");
        await startWorkerRole(gateway.context);
      }
      if (settings.PUSHGATE_ROLE !== "worker") {
        const { buildApiApp } = await import("./api-role.js");
        const edge = await buildApiApp(gateway.context, gateway.queuesToWatch());
        gateway.app = edge.app;
        gateway.server = await resources.listen(edge.listener, settings.PORT, settings.HOST);
      }
      if (settings.METRICS_PORT !== undefined) {
        gateway.queuesToWatch();
        gateway.metricsServer = await resources.listen(
          metricsListener(metrics, logger),
          settings.METRICS_PORT,
          settings.HOST,
        );
      }
    } catch (error) {
      await gateway.close();
      throw error;
    }
    logger.info({ role: settings.PUSHGATE_ROLE, url: gateway.url, store: store.kind }, "pushgate started");
    return gateway;
  }

  /** Every queue, on a fail-fast connection of its own, for the metrics and the dashboard. */
  private queuesToWatch(): Queue[] {
    if (!this.watchedQueues) {
      const connection = this.context.resources.connect("general");
      this.watchedQueues = Object.values(queueNames).map((name) =>
        this.context.resources.queue(name, connection),
      );
      this.context.metrics.watchQueues(this.watchedQueues);
    }
    return this.watchedQueues;
  }

  private addressOf(server: Server | undefined): string | undefined {
    const address = server?.address() as AddressInfo | null | undefined;
    return address ? `http://${this.settings.HOST}:${address.port}` : undefined;
  }

  /**
   * Stops taking requests, lets running jobs finish (bounded by SHUTDOWN_TIMEOUT_MS),
   * then closes Redis and the database.
   */
  close(): Promise<void> {
    return this.context.resources.close(this.settings.SHUTDOWN_TIMEOUT_MS);
  }
}

/** Apps (and their templates) kept per process, and how long at most without an announced change. */
const appCacheLimits = { maxApps: 10_000, maxAgeMs: 10_000 };
const subscribeWaitMs = 2000;

/**
 * The store with its apps and their templates cached in this process, an app's forgotten when
 * any process changes the app or one of its templates.
 */
async function withCaches(
  store: Store,
  resources: ProcessResources,
  settings: Settings,
  logger: Logger,
): Promise<Store> {
  const feed = new RedisAppChangeFeed(
    resources.connect("general"),
    resources.connect("worker"),
    redisKeys(settings.REDIS_PREFIX).appChanges,
    logger,
  );
  await feed.start(subscribeWaitMs);
  return withCachedRepositories(store, {
    apps: new CachedAppRepository(store.apps, feed, appCacheLimits),
    templates: new CachedTemplateRepository(store.templates, feed, appCacheLimits),
  });
}
