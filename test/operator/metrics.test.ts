import { expect } from "chai";
import { systemClock } from "../../src/domain/clock.js";
import { GatewayMetrics } from "../../src/observability/metrics.js";
import { messageEvent, postBatch, postEvent, signedHeaders, waitForEvent } from "../support/events.js";
import { type PushWorld, startPushWorld, type UserDevices, userWithDevices } from "../support/push-world.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";
import { parseExposition, type Sample, sampleValue } from "./prometheus.js";

async function scrape(url: string): Promise<Sample[]> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).to.equal(200);
  expect(response.headers.get("content-type")).to.match(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await response.text());
}

/** How much each sample named here grew between two scrapes. */
function growth(before: Sample[], after: Sample[], name: string, labels: Record<string, string>): number {
  return sampleValue(after, name, labels) - sampleValue(before, name, labels);
}

describe("metrics at /metrics", () => {
  describe("through the real pipeline", () => {
    let world: PushWorld;
    let bob: UserDevices;
    let carol: UserDevices;

    before(async () => {
      world = await startPushWorld();
      await userWithDevices(world.gw, world.app, "u1", { android: true });
      bob = await userWithDevices(world.gw, world.app, "u2", { android: true });
      carol = await userWithDevices(world.gw, world.app, "u3", { ios: true });
    });
    after(() => world.close());

    it("counts accepted, duplicate and refused events, with the reason of each refusal", async () => {
      const { gw, app } = world;
      // Nobody to notify: no delivery of these may land in the next test's counts.
      const quiet = (fields: Record<string, unknown> = {}) =>
        messageEvent({ channel: { id: "c0", member_ids: ["u1"] }, ...fields });
      const before = await scrape(gw.url);
      const event = quiet();
      expect((await postEvent(gw, app, event)).status).to.equal(202);
      expect((await postEvent(gw, app, event)).status).to.equal(200);
      const batch = await postBatch(gw, app, [quiet(), { id: "broken", type: "message.created" }]);
      expect(batch.status).to.equal(202);

      const signed = JSON.stringify(quiet());
      const tampered = await gw.request("POST", `/v1/apps/${app.id}/events`, {
        rawBody: signed.replace("hello", "hullo"),
        headers: signedHeaders(app.event_secret, signed),
      });
      expect(tampered.status).to.equal(401);
      const unknownApp = await postEvent(gw, { ...app, id: "app_missing" }, quiet());
      expect(unknownApp.status).to.equal(404);
      const huge = JSON.stringify(quiet({ data: { blob: "x".repeat(gw.settings.HTTP_BODY_LIMIT_BYTES) } }));
      const tooLarge = await gw.request("POST", `/v1/apps/${app.id}/events`, {
        rawBody: huge,
        headers: signedHeaders(app.event_secret, huge),
      });
      expect(tooLarge.status).to.equal(413);

      const after = await scrape(gw.url);
      const events = (labels: Record<string, string>) =>
        growth(before, after, "pushgate_events_total", labels);
      expect(events({ outcome: "accepted" })).to.equal(2);
      expect(events({ outcome: "duplicate" })).to.equal(1);
      expect(events({ outcome: "refused", reason: "schema" })).to.equal(1);
      expect(events({ outcome: "refused", reason: "signature" })).to.equal(1);
      expect(events({ outcome: "refused", reason: "unknown_app" })).to.equal(1);
      expect(events({ outcome: "refused", reason: "too_large" })).to.equal(1);
    });

    it("counts deliveries per provider and outcome, and the dead tokens removed", async () => {
      const { gw, app, sims } = world;
      sims.scriptToken(carol.ios as string, { kind: "dead" });
      const before = await scrape(gw.url);
      const event = messageEvent({ channel: { id: "c1", member_ids: ["u1", "u2", "u3"] } });
      expect((await postEvent(gw, app, event)).status).to.equal(202);
      const status = await waitForEvent(gw, app, event.id);
      expect(status.deliveries).to.include({ sent: 1, invalid_tokens: 1 });
      expect(sims.received.forToken(bob.android as string)).to.have.length.at.least(1);

      const after = await scrape(gw.url);
      const deliveries = (labels: Record<string, string>) =>
        growth(before, after, "pushgate_deliveries_total", labels);
      expect(deliveries({ provider: "gcm", outcome: "sent" })).to.equal(1);
      expect(deliveries({ provider: "apns", outcome: "invalid_token" })).to.equal(1);
      expect(growth(before, after, "pushgate_tokens_removed_total", { provider: "apns" })).to.equal(1);
    });

    it("reports every queue's depth, and the process's default metrics", async () => {
      const samples = await scrape(world.gw.url);
      for (const queue of ["events", "deliveries", "maintenance"]) {
        const depth = samples.find(
          (sample) => sample.name === "pushgate_queue_jobs" && sample.labels.queue === queue,
        );
        expect(depth, queue).to.not.equal(undefined);
        expect(
          samples.some((s) => s.name === "pushgate_queue_oldest_waiting_seconds" && s.labels.queue === queue),
        ).to.be.true;
      }
      expect(samples.some((sample) => sample.name === "process_cpu_user_seconds_total")).to.equal(true);
      expect(samples.some((sample) => sample.name === "nodejs_eventloop_lag_seconds")).to.equal(true);
    });
  });

  describe("of an api process, whose events wait for a worker", () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startTestGateway({ PUSHGATE_ROLE: "api" });
    });
    after(() => gw.close());

    it("reports the waiting job and how long it has waited", async () => {
      const app = await createApp(gw);
      expect((await postEvent(gw, app, messageEvent())).status).to.equal(202);
      gw.clock.advance(90_000);
      const samples = await scrape(gw.url);
      expect(sampleValue(samples, "pushgate_queue_jobs", { queue: "events", state: "waiting" })).to.equal(1);
      const waited = sampleValue(samples, "pushgate_queue_oldest_waiting_seconds", { queue: "events" });
      expect(waited, "the 90 s skipped, in seconds").to.be.at.least(90).and.below(180);
      expect(sampleValue(samples, "pushgate_queue_oldest_waiting_seconds", { queue: "deliveries" })).to.equal(
        0,
      );
    });
  });

  describe("of a worker process with METRICS_PORT", () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startTestGateway({ PUSHGATE_ROLE: "worker", METRICS_PORT: 0 });
    });
    after(() => gw.close());

    it("serves /metrics, and nothing else, on a listener of its own", async () => {
      expect(gw.gateway.url).to.equal(undefined);
      const url = gw.gateway.metricsUrl as string;
      const samples = await scrape(url);
      expect(samples.some((sample) => sample.name === "pushgate_queue_jobs")).to.equal(true);
      const notFound = await fetch(`${url}/v1/apps`);
      expect(notFound.status).to.equal(404);
      expect(notFound.headers.get("content-type")).to.equal("application/problem+json; charset=utf-8");
      expect(await notFound.json()).to.include({ type: "urn:pushgate:problem:not-found", status: 404 });
    });

    it("answers HEAD like GET without a body, another method with 405 and Allow, each with a request id", async () => {
      const url = gw.gateway.metricsUrl as string;
      const head = await fetch(`${url}/metrics`, { method: "HEAD" });
      expect(head.status).to.equal(200);
      expect(head.headers.get("content-type")).to.match(/^text\/plain/);
      expect(await head.text()).to.equal("");
      const post = await fetch(`${url}/metrics`, { method: "POST", headers: { "X-Request-Id": "scrape-1" } });
      expect(post.status).to.equal(405);
      expect(post.headers.get("allow")).to.equal("GET, HEAD");
      expect(post.headers.get("x-request-id")).to.equal("scrape-1");
      expect(post.headers.get("x-content-type-options")).to.equal("nosniff");
      expect(await post.json()).to.include({ type: "urn:pushgate:problem:method-not-allowed", status: 405 });
    });
  });

  it("records webhook attempts and their duration for the webhook client", async () => {
    const metrics = new GatewayMetrics(systemClock);
    metrics.webhooks.attempt("send", 120);
    metrics.webhooks.attempt("retry", 5000);
    const samples = parseExposition(await metrics.scrape());
    expect(sampleValue(samples, "pushgate_webhook_attempts_total", { outcome: "send" })).to.equal(1);
    expect(sampleValue(samples, "pushgate_webhook_attempts_total", { outcome: "retry" })).to.equal(1);
    expect(sampleValue(samples, "pushgate_webhook_duration_seconds_count")).to.equal(2);
    expect(sampleValue(samples, "pushgate_webhook_duration_seconds_bucket", { le: "0.25" })).to.equal(1);
    expect(sampleValue(samples, "pushgate_webhook_duration_seconds_sum")).to.be.closeTo(5.12, 1e-9);
  });
});
