import { RunEndCallbacks } from "../pipeline/callbacks/run-end-callbacks.js";
import { CallbackSender } from "../pipeline/callbacks/send-callback.js";
import { type CallbackJob, StatusCallbacks } from "../pipeline/callbacks/status-callbacks.js";
import { reportingRemovals } from "../pipeline/callbacks/token-removal-callbacks.js";
import { ReceiptCheck } from "../pipeline/check-receipts.js";
import { DeliveryProcessor } from "../pipeline/deliver.js";
import { ChunkDelivery } from "../pipeline/dispatch/chunk-delivery.js";
import { Dispatcher } from "../pipeline/dispatch/dispatcher.js";
import { requeueLostEvents } from "../pipeline/ingest/lost-events.js";
import type { DeliveryJob, EventJob, ReceiptJob, WebhookJob } from "../pipeline/jobs.js";
import { EventProcessor } from "../pipeline/process-event.js";
import { WebhookBreaker } from "../pipeline/webhook/breaker.js";
import { WebhookForwarder } from "../pipeline/webhook/forward-to-webhook.js";
import { BullCallbackQueue } from "../queue/callback-queue.js";
import { BullEventQueue, BullJobQueue } from "../queue/pipeline-queues.js";
import { queueNames } from "../queue/queues.js";
import { RedisBadgeCounter } from "../queue/redis-badges.js";
import { RedisBurstCounter } from "../queue/redis-bursts.js";
import { RedisDeliveryLedger } from "../queue/redis-delivery-ledger.js";
import { RedisWebhookHealth } from "../queue/redis-webhook-health.js";
import { AppSlots } from "../webhooks/app-slots.js";
import { WebhookClient } from "../webhooks/webhook-client.js";
import { startCallbackWorker } from "../worker/callback-worker.js";
import { type MaintenanceTask, startMaintenance } from "../worker/maintenance.js";
import { startPipelineWorkers } from "../worker/pipeline-workers.js";
import { pushSender } from "./push-sender.js";
import type { RoleContext } from "./role-context.js";
import { gatewayVersion } from "./version.js";

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;

/** The `worker` role: the pipeline's stages on their queues, the providers, the scheduled clean-ups. */
export async function startWorkerRole(context: RoleContext): Promise<void> {
  const { settings, store, logger, resources, metrics, clock } = context;
  const connection = resources.connect("worker");
  const sender = pushSender(settings, logger, resources);
  const deliveryQueue = new BullJobQueue(
    resources.queue<DeliveryJob>(queueNames.deliveries, connection),
    "delivery",
  );
  const webhookQueue = new BullJobQueue(
    resources.queue<WebhookJob>(queueNames.webhooks, connection),
    "webhook",
  );
  // Events the sweep queues again are not waited on: were they lost again, the next sweep finds them.
  const eventQueue = new BullEventQueue(
    resources.queue<EventJob>(queueNames.events, connection),
    async () => {},
  );
  const receiptQueue = new BullJobQueue(
    resources.queue<ReceiptJob>(queueNames.receipts, connection),
    "receipts",
  );
  const callbacks = new StatusCallbacks(
    store.apps,
    new BullCallbackQueue(
      resources.queue<CallbackJob>(queueNames.callbacks, connection),
      settings.STATUS_CALLBACK_RETRY_BASE_MS,
    ),
    clock,
  );
  const runEnds = new RunEndCallbacks(store.events, callbacks);
  const runs = runEnds.ledger(store.events);
  const webhookClient = new WebhookClient({
    allowPrivateTargets: settings.ALLOW_PRIVATE_WEBHOOK_TARGETS,
    responseLimitBytes: settings.WEBHOOK_RESPONSE_LIMIT_BYTES,
    userAgent: `pushgate/${gatewayVersion}`,
  });
  const badges = new RedisBadgeCounter(connection, settings.REDIS_PREFIX);
  const retry = { baseMs: settings.DELIVERY_RETRY_BASE_MS, maxMs: settings.DELIVERY_RETRY_MAX_MS };
  const dispatcher = new Dispatcher(
    new ChunkDelivery(
      reportingRemovals(store.tokens, callbacks, "invalid_token"),
      sender,
      new RedisDeliveryLedger(connection, settings.REDIS_PREFIX),
      store.deviceDeliveries,
      badges,
      new RedisBurstCounter(connection, settings.REDIS_PREFIX),
      retry,
      metrics.deliveries,
      metrics.templates,
    ),
    deliveryQueue,
    receiptQueue,
    store.tokens,
    {
      fanoutChunkSize: settings.FANOUT_CHUNK_SIZE,
      inlineDeliveryMaxRecipients: settings.INLINE_DELIVERY_MAX_RECIPIENTS,
      receiptDelayMs: settings.EXPO_RECEIPT_DELAY_SECONDS * 1000,
    },
  );
  const workers = startPipelineWorkers(
    {
      events: new EventProcessor({
        apps: store.apps,
        runs,
        channels: store.channels,
        audience: store.audience,
        dispatcher,
        webhooks: webhookQueue,
        webhookLog: store.events,
        templates: store.templates,
        badges,
        templateObserver: metrics.templates,
      }),
      deliveries: new DeliveryProcessor({ apps: store.apps, runs, dispatcher }),
      webhooks: new WebhookForwarder({
        apps: store.apps,
        runs,
        log: store.events,
        audience: store.audience,
        slots: new AppSlots(connection, settings.REDIS_PREFIX, settings.WEBHOOK_APP_CONCURRENCY),
        client: webhookClient,
        clock,
        dispatcher,
        webhooks: webhookQueue,
        retries: { maxAttempts: settings.WEBHOOK_MAX_ATTEMPTS, retry },
        breaker: new WebhookBreaker({
          health: new RedisWebhookHealth(connection, settings.REDIS_PREFIX),
          apps: store.apps,
          callbacks,
          clock,
          probeIntervalMs: settings.WEBHOOK_PROBE_INTERVAL_SECONDS * 1000,
          observer: metrics.webhookBreaker,
        }),
        observer: metrics.webhooks,
      }),
      receipts: new ReceiptCheck({
        apps: store.apps,
        sender,
        tokens: reportingRemovals(store.tokens, callbacks, "receipt"),
        observer: metrics.deliveries,
      }),
    },
    runEnds.failures(store.events),
    {
      connection,
      prefix: settings.REDIS_PREFIX,
      eventConcurrency: settings.EVENT_WORKER_CONCURRENCY,
      deliveryConcurrency: settings.DELIVERY_WORKER_CONCURRENCY,
      webhookConcurrency: settings.WEBHOOK_WORKER_CONCURRENCY,
      receiptConcurrency: 2,
      lockDurationMs: settings.WORKER_LOCK_DURATION_MS,
      stalledIntervalMs: settings.WORKER_STALLED_INTERVAL_MS,
    },
    logger,
  );
  resources.onClose(() => workers.close());
  const callbackWorker = startCallbackWorker(
    new CallbackSender({
      apps: store.apps,
      client: webhookClient,
      clock,
      timeoutMs: settings.WEBHOOK_DEFAULT_TIMEOUT_MS,
    }),
    {
      connection,
      prefix: settings.REDIS_PREFIX,
      concurrency: settings.WEBHOOK_WORKER_CONCURRENCY,
      lockDurationMs: settings.WORKER_LOCK_DURATION_MS,
      stalledIntervalMs: settings.WORKER_STALLED_INTERVAL_MS,
    },
    logger,
  );
  resources.onClose(() => callbackWorker.close());

  const cleanups: MaintenanceTask[] = [
    {
      name: "purge-expired-secrets",
      everyMs: hourMs,
      run: (now) => store.apps.purgeExpiredSecrets(now),
      did: "removed expired secrets",
    },
    {
      name: "purge-expired-sessions",
      everyMs: hourMs,
      run: (now) => store.sessions.purgeExpired(now),
      did: "removed expired sessions",
    },
    {
      name: "requeue-lost-events",
      everyMs: minuteMs,
      run: (now) =>
        requeueLostEvents(store.apps, store.events, eventQueue, now, {
          graceMs: minuteMs,
          perAppLimit: 1000,
        }),
      did: "queued again events accepted whose job was lost",
    },
    {
      name: "purge-old-events",
      did: "removed events past their retention",
      everyMs: hourMs,
      run: (now) =>
        store.events.purgeReceivedBefore(new Date(now.getTime() - settings.EVENT_RETENTION_DAYS * dayMs)),
    },
  ];
  const maintenance = await startMaintenance(cleanups, connection, settings.REDIS_PREFIX, logger, clock);
  resources.onClose(() => maintenance.close());
}
