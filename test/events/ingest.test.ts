import { setTimeout as sleep } from "node:timers/promises";
import { type Job, Queue } from "bullmq";
import { expect } from "chai";
import { Redis } from "ioredis";
import { queueNames } from "../../src/queue/queues.js";
import { DisposableRedis } from "../support/disposable-redis.js";
import {
  eventId,
  messageEvent,
  postBatch,
  postEvent,
  signedHeaders,
  waitForEvent,
} from "../support/events.js";
import { createApp, startTestGateway, type TestGateway, testRedisUrl } from "../support/test-gateway.js";

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

describe("event ingest", () => {
  let gw: TestGateway;
  let app: Awaited<ReturnType<typeof createApp>>;
  before(async () => {
    gw = await startTestGateway({ PUSHGATE_ROLE: "api" });
    app = await createApp(gw);
  });
  after(() => gw.close());

  it("queues a well-signed event and answers 202", async () => {
    const event = messageEvent();
    const response = await postEvent(gw, app, event);
    expect(response.status).to.equal(202);
    expect(response.body).to.deep.equal({ id: event.id, status: "queued" });
    const status = await gw.request("GET", `/v1/apps/${app.id}/events/${event.id}`, {
      token: app.server_key,
    });
    expect(status.body).to.include({
      id: event.id,
      type: "message.created",
      mode: "direct",
      status: "queued",
    });
  });

  it("answers 200 duplicate for an id the app already accepted", async () => {
    const event = messageEvent();
    expect((await postEvent(gw, app, event)).status).to.equal(202);
    const again = await postEvent(gw, app, {
      ...event,
      message: { id: "m2", type: "text", text: "changed" },
    });
    expect(again.status).to.equal(200);
    expect(again.body).to.deep.equal({ id: event.id, status: "duplicate" });
    const other = await createApp(gw);
    expect((await postEvent(gw, other, event)).status, "ids are per app").to.equal(202);
  });

  it("401 for a missing or wrong signature, or one made with another app's secret", async () => {
    const body = JSON.stringify(messageEvent());
    const path = `/v1/apps/${app.id}/events`;
    const unsigned = await gw.request("POST", path, {
      rawBody: body,
      headers: { "content-type": "application/json" },
    });
    expect(unsigned.status).to.equal(401);
    expect(unsigned.headers.get("content-type")).to.match(/problem\+json/);
    const other = await createApp(gw);
    const foreign = await gw.request("POST", path, {
      rawBody: body,
      headers: signedHeaders(other.event_secret, body),
    });
    expect(foreign.status).to.equal(401);
    const tampered = signedHeaders(app.event_secret, body);
    const altered = await gw.request("POST", path, {
      rawBody: body.replace("hello", "HELLO"),
      headers: tampered,
    });
    expect(altered.status).to.equal(401);
  });

  it("401 for a timestamp more than 5 minutes off, either way", async () => {
    const body = JSON.stringify(messageEvent());
    const path = `/v1/apps/${app.id}/events`;
    for (const offsetMs of [-6 * 60_000, 6 * 60_000]) {
      const response = await gw.request("POST", path, {
        rawBody: body,
        headers: signedHeaders(app.event_secret, body, new Date(Date.now() + offsetMs)),
      });
      expect(response.status).to.equal(401);
      expect(response.body.detail).to.match(/timestamp/);
    }
    const withinTolerance = await gw.request("POST", path, {
      rawBody: body,
      headers: signedHeaders(app.event_secret, body, new Date(Date.now() - 4 * 60_000)),
    });
    expect(withinTolerance.status).to.equal(202);
  });

  it("verifies with both event secrets during a rotation", async () => {
    const rotated = await createApp(gw);
    const rotation = await gw.request("POST", `/v1/apps/${rotated.id}/secrets/event-secret/rotate`, {
      token: rotated.server_key,
    });
    expect((await postEvent(gw, rotated, messageEvent())).status).to.equal(202);
    expect(
      (await postEvent(gw, { ...rotated, event_secret: rotation.body.secret }, messageEvent())).status,
    ).to.equal(202);
  });

  it("400 for a body that is not JSON, and lists every schema error", async () => {
    const body = "{not json";
    const malformed = await gw.request("POST", `/v1/apps/${app.id}/events`, {
      rawBody: body,
      headers: signedHeaders(app.event_secret, body),
    });
    expect(malformed.status).to.equal(400);
    expect(malformed.body.type).to.equal("urn:pushgate:problem:malformed-json");

    const invalid = await postEvent(gw, app, {
      id: "e1",
      type: "message.created",
      occurred_at: "yesterday",
      actor: {},
    });
    expect(invalid.status).to.equal(400);
    const paths = invalid.body.errors.map((error: { path: string }) => error.path);
    expect(paths).to.include.members(["occurred_at", "actor.id", "channel", "message"]);

    const unknownType = await postEvent(gw, app, {
      id: "e2",
      type: "message.exploded",
      occurred_at: new Date().toISOString(),
    });
    expect(unknownType.status).to.equal(400);
    expect(unknownType.body.errors[0].path).to.equal("type");
  });

  it("404 for an unknown app, 413 over 1 MiB, 415 when not JSON", async () => {
    const body = JSON.stringify(messageEvent());
    const unknown = await gw.request("POST", "/v1/apps/app_nope/events", {
      rawBody: body,
      headers: signedHeaders(app.event_secret, body),
    });
    expect(unknown.status).to.equal(404);

    const huge = JSON.stringify(
      messageEvent({ message: { id: "m", type: "text", text: "x".repeat(1024 * 1024) } }),
    );
    const tooLarge = await gw.request("POST", `/v1/apps/${app.id}/events`, {
      rawBody: huge,
      headers: signedHeaders(app.event_secret, huge),
    });
    expect(tooLarge.status).to.equal(413);

    const text = await gw.request("POST", `/v1/apps/${app.id}/events`, {
      rawBody: body,
      headers: { ...signedHeaders(app.event_secret, body), "content-type": "text/plain" },
    });
    expect(text.status).to.equal(415);
  });

  it("answers a batch per event: one bad event does not stop the others", async () => {
    const good = messageEvent();
    const known = messageEvent();
    await postEvent(gw, app, known);
    const response = await postBatch(gw, app, [good, { id: "bad", type: "message.created" }, known, good]);
    expect(response.status).to.equal(202);
    const [first, second, third, fourth] = response.body.results;
    expect(first).to.deep.equal({ id: good.id, status: "queued" });
    expect(second).to.include({ id: "bad", status: "invalid" });
    expect(second.errors).to.be.an("array").that.is.not.empty;
    expect(third).to.deep.equal({ id: known.id, status: "duplicate" });
    expect(fourth, "the same id twice in a batch").to.deep.equal({ id: good.id, status: "duplicate" });
  });

  it("refuses a batch of more than 500 events as a whole", async () => {
    const events = Array.from({ length: 501 }, () => ({ id: eventId() }));
    const response = await postBatch(gw, app, events);
    expect(response.status).to.equal(400);
    expect(response.body.errors[0].path).to.equal("events");
  });

  it("lists events by status with a cursor", async () => {
    const lister = await createApp(gw);
    const ids = [];
    for (let i = 0; i < 3; i++) {
      const event = messageEvent();
      ids.push(event.id);
      await postEvent(gw, lister, event);
    }
    const first = await gw.request("GET", `/v1/apps/${lister.id}/events?status=queued&limit=2`, {
      token: lister.server_key,
    });
    expect(first.body.events).to.have.length(2);
    const second = await gw.request(
      "GET",
      `/v1/apps/${lister.id}/events?status=queued&limit=2&cursor=${first.body.next_cursor}`,
      {
        token: lister.server_key,
      },
    );
    expect(second.body.events).to.have.length(1);
    expect(second.body.next_cursor).to.equal(null);
    const seen = [...first.body.events, ...second.body.events].map((event: { id: string }) => event.id);
    expect(seen).to.have.members(ids);
    const foreign = await gw.request("GET", `/v1/apps/${lister.id}/events`, { token: app.server_key });
    expect(foreign.status).to.equal(404);
  });
});

describe("event retention", () => {
  it("purges by itself, every hour, the events older than EVENT_RETENTION_DAYS and the dedupe of their ids", async () => {
    const gw = await startTestGateway({ EVENT_RETENTION_DAYS: 1 });
    const connection = new Redis(testRedisUrl());
    const maintenance = new Queue(queueNames.maintenance, { connection, prefix: gw.settings.REDIS_PREFIX });
    try {
      const app = await createApp(gw);
      /** Signed at the gateway's time, which the test moves forward. */
      const post = (event: { id: string }) => {
        const body = JSON.stringify(event);
        return gw.request("POST", `/v1/apps/${app.id}/events`, {
          rawBody: body,
          headers: signedHeaders(app.event_secret, body, gw.clock.now()),
        });
      };
      const old = messageEvent();
      expect((await post(old)).status).to.equal(202);
      gw.clock.advance(2 * hourMs);
      const young = messageEvent();
      expect((await post(young)).status).to.equal(202);
      await waitForEvent(gw, app, old.id);
      await waitForEvent(gw, app, young.id);

      const scheduler = await maintenance.getJobScheduler("purge-old-events");
      expect(scheduler?.every, "scheduled by the gateway itself").to.equal(hourMs);
      gw.clock.advance(dayMs - hourMs);
      await runNext(maintenance, "purge-old-events");

      const statusOf = async (id: string) =>
        (await gw.request("GET", `/v1/apps/${app.id}/events/${id}`, { token: app.server_key })).status;
      expect(await statusOf(old.id), "25 h old").to.equal(404);
      expect(await statusOf(young.id), "23 h old").to.equal(200);
      expect((await post(old)).body, "its id is free again").to.deep.equal({ id: old.id, status: "queued" });
      expect((await post(young)).body).to.deep.equal({ id: young.id, status: "duplicate" });
    } finally {
      await maintenance.close();
      connection.disconnect();
      await gw.close();
    }
  });
});

/** Runs the next run of a job scheduler now, and waits for it to complete. */
async function runNext(queue: Queue, schedulerName: string): Promise<void> {
  let next: Job | undefined;
  while (!next) {
    next = (await queue.getDelayed()).find((job) => job.name === schedulerName);
    if (!next) await sleep(20);
  }
  await next.promote();
  while ((await next.getState()) !== "completed") await sleep(20);
}

describe("event ingest while Redis is down", () => {
  it("answers 503 with Retry-After and accepts nothing, then takes the same event once Redis is back", async () => {
    const redis = await DisposableRedis.start();
    const gw = await startTestGateway({ PUSHGATE_ROLE: "api", REDIS_URL: redis.url });
    try {
      const app = await createApp(gw);
      await redis.kill();
      const event = messageEvent();
      const refused = await postEvent(gw, app, event);
      expect(refused.status).to.equal(503);
      expect(refused.headers.get("retry-after")).to.match(/^\d+$/);
      const status = await gw.request("GET", `/v1/apps/${app.id}/events/${event.id}`, {
        token: app.server_key,
      });
      expect(status.status, "a refused event is not accepted").to.equal(404);

      await redis.restart();
      let accepted = refused;
      for (let attempt = 0; attempt < 50 && accepted.status === 503; attempt++) {
        await sleep(100);
        accepted = await postEvent(gw, app, event);
      }
      expect(accepted.status).to.equal(202);
      expect(accepted.body.status).to.equal("queued");
    } finally {
      await gw.close();
      await redis.kill();
    }
  });
});
