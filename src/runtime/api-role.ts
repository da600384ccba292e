import type { RequestListener } from "node:http";
import type { Queue } from "bullmq";
import type { Express } from "express";
import { consoleBase } from "../console/console-auth.js";
import { operatorConsole } from "../console/console-routes.js";
import { AppService } from "../domain/apps/app-service.js";
import { DeviceService } from "../domain/devices/device-service.js";
import { SyncTokens } from "../domain/devices/sync-token.js";
import { allowedHostsOf, webPushEndpointCheck } from "../domain/devices/web-push-endpoint.js";
import { SessionService } from "../domain/sessions/session-service.js";
import { BrowserSessionRevocations } from "../http/browser-revocations.js";
import { createHttpApp, withFastPaths } from "../http/http-app.js";
import { createAuthenticator } from "../http/middleware/auth.js";
import {
  deviceWriteLimit,
  signInLimits,
  testNotificationLimit,
  unregisterLimit,
} from "../http/middleware/rate-limit.js";
import { operations } from "../http/openapi/catalog/index.js";
import { apiReferenceRoutes } from "../http/routes/api-reference.js";
import { appRoutes } from "../http/routes/apps.js";
import { badgeRoutes } from "../http/routes/badges.js";
import { channelRoutes } from "../http/routes/channels.js";
import { deviceDeliveryRoutes } from "../http/routes/device-deliveries.js";
import { deviceRoutes } from "../http/routes/devices.js";
import { EventIngest } from "../http/routes/event-ingest.js";
import { eventIngestFastPath } from "../http/routes/event-ingest-fast-path.js";
import { eventRoutes } from "../http/routes/events.js";
import { healthRoutes } from "../http/routes/health.js";
import { metricsRoutes } from "../http/routes/metrics.js";
import { notificationSettingsRoutes } from "../http/routes/notification-settings.js";
import { queueDashboardRoutes } from "../http/routes/queue-dashboard.js";
import { sessionRoutes } from "../http/routes/sessions.js";
import { templateRoutes } from "../http/routes/templates.js";
import { testNotificationRoutes } from "../http/routes/test-notifications.js";
import { EventIntake } from "../pipeline/ingest/event-intake.js";
import type { EventJob } from "../pipeline/jobs.js";
import { EventReplayer } from "../pipeline/replay-events.js";
import { TestNotifications } from "../pipeline/test-notification.js";
import { BullEventQueue } from "../queue/pipeline-queues.js";
import { queueNames } from "../queue/queues.js";
import { pingRedis, whenReady } from "../queue/redis.js";
import { RedisBadgeCounter } from "../queue/redis-badges.js";
import { describeRedisTarget } from "../queue/redis-target.js";
import { RedisWebhookHealth } from "../queue/redis-webhook-health.js";
import { replicaAcknowledgement } from "../queue/replica-acknowledgement.js";
import { deriveKey } from "../security/derive-key.js";
import { checkWebhookTarget } from "../webhooks/target-guard.js";
import { pushSender } from "./push-sender.js";
import type { RoleContext } from "./role-context.js";
import { gatewayVersion } from "./version.js";

/** Seconds a client is asked to wait before sending an event again while the queue is down. */
const queueDownRetryAfterSeconds = 5;

/** The HTTP edge of the `api` role: every route, wired to its services. */
/** The api's HTTP edge: the app, and the listener that serves it behind its fast paths. */
export interface ApiEdge {
  app: Express;
  listener: RequestListener;
}

export async function buildApiApp(context: RoleContext, watchedQueues: Queue[]): Promise<ApiEdge> {
  const { settings, store, logger, resources, metrics, adminToken, clock } = context;
  // Fail-fast: while Redis is down, requests answer 503 at once instead of waiting.
  const producer = resources.connect("producer");
  // Its own connection: waiting there for a replica (Sentinel) holds up no other request.
  const intake = resources.connect("producer");
  const ready = await Promise.all([whenReady(producer, 5000), whenReady(intake, 5000)]);
  if (ready.includes(false)) {
    logger.warn(
      { redis: describeRedisTarget(resources.redisTarget) },
      "Redis is not answering yet: events are refused with 503 until it is",
    );
  }
  const { HTTP_BODY_LIMIT_BYTES: bodyLimitBytes, REDIS_PREFIX: prefix } = settings;
  const auth = createAuthenticator(adminToken, store.apps, store.sessions, clock);
  const revocations = new BrowserSessionRevocations(producer, prefix);
  const eventJobs = resources.queue<EventJob>(queueNames.events, intake);
  const eventQueue = new BullEventQueue(
    eventJobs,
    replicaAcknowledgement(
      intake,
      resources.redisTarget,
      settings.REDIS_COMMAND_TIMEOUT_MS,
      eventJobs.toKey("wait"),
    ),
  );
  const ingest = new EventIngest(
    { apps: store.apps, intake: new EventIntake(store.events, eventQueue), observer: metrics.events, clock },
    {
      toleranceSeconds: settings.EVENT_TIMESTAMP_TOLERANCE_SECONDS,
      retryAfterSeconds: queueDownRetryAfterSeconds,
    },
  );
  const checkTarget = settings.ALLOW_PRIVATE_WEBHOOK_TARGETS ? async () => {} : checkWebhookTarget;
  const webhookHealth = new RedisWebhookHealth(producer, prefix);
  const apps = new AppService(store.apps, {
    rotationOverlapSeconds: settings.SECRET_ROTATION_OVERLAP_SECONDS,
    defaultWebhookTimeoutMs: settings.WEBHOOK_DEFAULT_TIMEOUT_MS,
    checkWebhookUrl: checkTarget,
    webhookFailures: {
      // The app is already changed: a run of failures left in Redis only turns the webhook off sooner.
      reset: (appId) =>
        webhookHealth.reset(appId).catch((error: unknown) => {
          logger.warn({ err: error, appId }, "webhook failures: not reset");
        }),
    },
    clock,
  });
  const sessions = new SessionService(store.sessions, store.apps, store.notificationSettings, {
    ttlSeconds: settings.SESSION_TTL_SECONDS,
    authTokenMaxLifetimeSeconds: settings.AUTH_TOKEN_MAX_LIFETIME_SECONDS,
    clock,
  });
  const devices = new DeviceService(
    store.devices,
    store.tokens,
    new SyncTokens(deriveKey(context.masterKey, "sync-token"), settings.SYNC_TOKEN_TTL_SECONDS, clock),
    store.sessions,
    clock,
    webPushEndpointCheck(allowedHostsOf(settings.WEBPUSH_ALLOWED_HOSTS), checkTarget),
    async (appId) => Object.keys((await apps.get(appId)).variants),
  );
  const badges = new RedisBadgeCounter(producer, prefix);
  const tests = new TestNotifications({
    tokens: store.tokens,
    sender: pushSender(settings, logger, resources),
    audience: store.audience,
    clock,
  });
  // One budget per session for its writes: devices, and notification settings.
  const deviceWrites = deviceWriteLimit(producer, prefix, settings.RATE_LIMIT_DEVICE_WRITES_PER_MINUTE);
  const testLimit = testNotificationLimit(
    producer,
    prefix,
    settings.RATE_LIMIT_TEST_NOTIFICATIONS_PER_USER_PER_MINUTE,
  );
  const app = createHttpApp({
    logger,
    trustProxy: settings.TRUST_PROXY,
    pages: [
      operatorConsole(
        context,
        apps,
        new EventReplayer(store.events, eventQueue),
        revocations,
        badges,
        tests,
        testLimit,
      ),
      // Its sign-out takes the console's form post, passed on by a 307.
      queueDashboardRoutes(watchedQueues, adminToken, revocations, `${consoleBase}/sign-in`),
    ],
    routers: [
      healthRoutes({ redis: () => pingRedis(producer), database: () => store.ping() }),
      appRoutes(apps, auth, {
        bodyLimitBytes,
        defaultNotificationTtlSeconds: settings.DEFAULT_NOTIFICATION_TTL_SECONDS,
        defaultWebhookTimeoutMs: settings.WEBHOOK_DEFAULT_TIMEOUT_MS,
      }),
      eventRoutes(
        {
          apps: store.apps,
          events: store.events,
          ingest,
          replayer: new EventReplayer(store.events, eventQueue),
          auth,
        },
        {
          bodyLimitBytes,
          batchMax: settings.EVENT_BATCH_MAX,
          replayBulkMax: settings.EVENT_REPLAY_BULK_MAX,
        },
      ),
      deviceDeliveryRoutes(store.deviceDeliveries, store.events, auth),
      channelRoutes(store.channels, auth, bodyLimitBytes),
      sessionRoutes(sessions, auth, {
        bodyLimitBytes,
        limits: signInLimits(producer, prefix, {
          perAddressPerMinute: settings.RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE,
          perUserPerMinute: settings.RATE_LIMIT_SIGN_IN_PER_USER_PER_MINUTE,
          perAppPerSecond: settings.RATE_LIMIT_SIGN_IN_PER_APP_PER_SECOND,
        }),
      }),
      deviceRoutes(devices, auth, {
        bodyLimitBytes,
        writeLimit: deviceWrites,
        unregisterLimit: unregisterLimit(
          producer,
          prefix,
          settings.RATE_LIMIT_UNREGISTER_PER_ADDRESS_PER_MINUTE,
        ),
      }),
      notificationSettingsRoutes(store.notificationSettings, apps, auth, {
        bodyLimitBytes,
        sessionWriteLimit: deviceWrites,
      }),
      badgeRoutes(badges, apps, auth, { bodyLimitBytes }),
      templateRoutes(store.templates, apps, auth, { bodyLimitBytes, clock }),
      testNotificationRoutes(tests, apps, auth, {
        bodyLimitBytes,
        limit: testLimit,
      }),
      metricsRoutes(metrics),
      apiReferenceRoutes(operations, gatewayVersion),
    ],
  });
  const ingestFastPath = eventIngestFastPath({
    findApp: (appId) => store.apps.findById(appId),
    ingest,
    bodyLimitBytes,
    logger,
  });
  return { app, listener: withFastPaths(app, [ingestFastPath]) };
}
