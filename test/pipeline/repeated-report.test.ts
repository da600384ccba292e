import { expect } from "chai";
import { Redis } from "ioredis";
import { pino } from "pino";
import type { LiveEvent } from "../../src/domain/events/live-event.js";
import { DeliveryProcessor } from "../../src/pipeline/deliver.js";
import { ChunkDelivery } from "../../src/pipeline/dispatch/chunk-delivery.js";
import { Dispatcher } from "../../src/pipeline/dispatch/dispatcher.js";
import type { DeliveryJob, DeliveryQueue, ReceiptJob, Scheduled } from "../../src/pipeline/jobs.js";
import { EventProcessor } from "../../src/pipeline/process-event.js";
import { PushDispatcher } from "../../src/providers/push-dispatcher.js";
import { RedisDeliveryLedger } from "../../src/queue/redis-delivery-ledger.js";
import { messageEvent } from "../support/events.js";
import { type PushWorld, startPushWorld, userWithDevices } from "../support/push-world.js";
import { testRedisUrl } from "../support/test-gateway.js";
import { InMemoryBadgeCounter } from "./fakes/badges.js";
import { InMemoryBurstCounter } from "./fakes/bursts.js";
import { RecordingQueue } from "./fakes/queues.js";

/**
 * A worker that dies after a delivery job's report is committed but before its retry is queued:
 * the job runs again, and the retry its first report opened must still come, or the event would
 * stay `processing` for ever.
 */
describe("a delivery job run again after its report, before its retry was queued", () => {
  let world: PushWorld;
  let redis: Redis;
  let sender: PushDispatcher;

  before(async () => {
    // The api role alone: this test runs the delivery stage itself.
    world = await startPushWorld({ PUSHGATE_ROLE: "api" });
    redis = new Redis(testRedisUrl());
    const { settings } = world.gw;
    sender = new PushDispatcher({
      fcmEndpoint: settings.FCM_ENDPOINT,
      apnsProductionEndpoint: settings.APNS_PRODUCTION_ENDPOINT,
      apnsSandboxEndpoint: settings.APNS_SANDBOX_ENDPOINT,
      caFile: settings.PROVIDER_CA_FILE,
      apnsMaxStreamsInFlight: 10,
      concurrency: 10,
      logger: pino({ level: "silent" }),
    });
  });
  after(async () => {
    await sender.close();
    redis.disconnect();
    await world.close();
  });

  /** A delivery queue whose first adds fail, as if the worker died right before them. */
  function queueOfDyingWorker() {
    const queue = {
      workerAlive: false,
      queued: [] as Scheduled<DeliveryJob>[],
      async add(jobs: Scheduled<DeliveryJob>[]) {
        if (!queue.workerAlive) throw new Error("the worker died before queueing the retry");
        queue.queued.push(...jobs);
      },
    };
    return queue;
  }

  function dispatcher(queue: DeliveryQueue): Dispatcher {
    const store = world.gw.gateway.store;
    const ledger = new RedisDeliveryLedger(redis, world.gw.settings.REDIS_PREFIX);
    const chunks = new ChunkDelivery(
      store.tokens,
      sender,
      ledger,
      store.deviceDeliveries,
      new InMemoryBadgeCounter(),
      new InMemoryBurstCounter(),
      {
        baseMs: 10,
        maxMs: 20,
      },
    );
    return new Dispatcher(chunks, queue, new RecordingQueue<ReceiptJob>(), store.tokens, {
      fanoutChunkSize: 500,
      inlineDeliveryMaxRecipients: 10,
      receiptDelayMs: 0,
    });
  }

  function deliveryProcessor(queue: DeliveryQueue): DeliveryProcessor {
    const store = world.gw.gateway.store;
    return new DeliveryProcessor({ apps: store.apps, runs: store.events, dispatcher: dispatcher(queue) });
  }

  /** An accepted event to `userId`, whose iPhone answers 429 once, as the api leaves it. */
  async function acceptedEventToFlakyPhone(userId: string) {
    const store = world.gw.gateway.store;
    const phone = await userWithDevices(world.gw, world.app, userId, { ios: true });
    world.sims.scriptToken(phone.ios as string, { kind: "flaky", failures: 1, status: 429 });
    const event = messageEvent({
      channel: { id: `c-${userId}`, member_ids: ["u1", userId] },
    }) as unknown as LiveEvent;
    await store.events.reserve(world.app.id, [{ event, mode: "direct", receivedAt: new Date() }]);
    return { event, token: phone.ios as string };
  }

  it("of the event stage sending itself: queues that retry anyway, and the event completes once", async () => {
    const store = world.gw.gateway.store;
    const { event, token } = await acceptedEventToFlakyPhone("u6");
    const queue = queueOfDyingWorker();
    const refuse = async () => {
      throw new Error("no webhook in direct mode");
    };
    const events = new EventProcessor({
      apps: store.apps,
      runs: store.events,
      channels: store.channels,
      audience: store.audience,
      dispatcher: dispatcher(queue),
      webhooks: { add: refuse },
      webhookLog: store.events,
      templates: store.templates,
      badges: new InMemoryBadgeCounter(),
    });
    const ref = { appId: world.app.id, eventId: event.id, run: 0 };

    let died: unknown;
    await events.process(ref).catch((error: unknown) => {
      died = error;
    });
    expect(String(died)).to.match(/worker died/);
    queue.workerAlive = true;
    await events.process(ref);
    expect(world.sims.received.forToken(token), "reached by the second run").to.have.length(1);
    const [retry] = queue.queued as [Scheduled<DeliveryJob>];
    await deliveryProcessor(queue).process(retry.job, retry.jobId);
    expect(await store.events.find(world.app.id, event.id)).to.include({ status: "completed", sent: 1 });
  });

  it("of a delivery job: queues that retry anyway, and the event completes with the token reached once", async () => {
    const store = world.gw.gateway.store;
    const { event, token } = await acceptedEventToFlakyPhone("u5");
    const jobId = `${event.id}/chunk-0`;
    const expiresAt = new Date(Date.now() + 60_000);
    await store.events.recordAudience(world.app.id, event.id, 0, {
      recipients: 1,
      suppressed: 0,
      suppressedBy: {},
      expiresAt,
      jobIds: [jobId],
    });
    const queue = queueOfDyingWorker();
    const deliveries = deliveryProcessor(queue);
    const job: DeliveryJob = {
      appId: world.app.id,
      eventId: event.id,
      run: 0,
      message: { title: "Alice", body: "hello", data: {}, expiresAt: expiresAt.toISOString(), call: false },
      userIds: ["u5"],
      attempt: 1,
    };

    let died: unknown;
    await deliveries.process(job, jobId).catch((error: unknown) => {
      died = error;
    });
    expect(String(died)).to.match(/worker died/);
    expect(world.sims.received.forToken(token), "429 the first time").to.have.length(0);

    queue.workerAlive = true;
    await deliveries.process(job, jobId);
    expect(world.sims.received.forToken(token), "reached by the second run").to.have.length(1);
    expect(queue.queued.map((entry) => entry.jobId)).to.deep.equal([`${jobId}/retry`]);

    const [retry] = queue.queued as [Scheduled<DeliveryJob>];
    await deliveries.process(retry.job, retry.jobId);
    expect(await store.events.find(world.app.id, event.id)).to.include({
      status: "completed",
      sent: 1,
      failed: 0,
    });
    expect(world.sims.received.forToken(token), "not sent again").to.have.length(1);
  });
});
