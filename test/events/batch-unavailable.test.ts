import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import { DisposableRedis } from "../support/disposable-redis.js";
import { messageEvent, postBatch, postEvent } from "../support/events.js";
import { createApp, startTestGateway, type TestGateway, type TestResponse } from "../support/test-gateway.js";

describe("event batch while Redis is down", () => {
  let redis: DisposableRedis;
  let gw: TestGateway;

  before(async () => {
    redis = await DisposableRedis.start();
    gw = await startTestGateway({ PUSHGATE_ROLE: "api", REDIS_URL: redis.url });
  });
  after(async () => {
    await gw.close();
    await redis.kill();
  });

  it("answers 503 with Retry-After and accepts none of the batch, then takes it whole once Redis is back", async () => {
    const app = await createApp(gw);
    const statusOf = (id: string) =>
      gw.request("GET", `/v1/apps/${app.id}/events/${id}`, { token: app.server_key });
    const earlier = messageEvent();
    expect((await postEvent(gw, app, earlier)).status).to.equal(202);
    const fresh = [messageEvent(), messageEvent()];
    const batch = [fresh[0], earlier, { id: "no-type" }, fresh[1]];

    await redis.kill();
    const refused = await postBatch(gw, app, batch);
    expect(refused.status).to.equal(503);
    expect(refused.headers.get("content-type")).to.match(/^application\/problem\+json/);
    expect(refused.body.type).to.equal("urn:pushgate:problem:queue-unavailable");
    expect(refused.headers.get("retry-after")).to.match(/^\d+$/);
    for (const event of fresh) {
      expect((await statusOf(event.id)).status, "an event of a refused batch is not accepted").to.equal(404);
    }
    expect((await statusOf(earlier.id)).body.status, "accepted before the outage").to.equal("queued");

    await redis.restart();
    let accepted: TestResponse = refused;
    for (let attempt = 0; attempt < 50 && accepted.status === 503; attempt++) {
      await sleep(100);
      accepted = await postBatch(gw, app, batch);
    }
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(202);
    const [first, second, third, fourth] = accepted.body.results;
    expect(first, "not a duplicate: the refused batch left nothing behind").to.deep.equal({
      id: fresh[0]?.id,
      status: "queued",
    });
    expect(second).to.deep.equal({ id: earlier.id, status: "duplicate" });
    expect(third).to.include({ id: "no-type", status: "invalid" });
    expect(fourth).to.deep.equal({ id: fresh[1]?.id, status: "queued" });
    for (const event of fresh) expect((await statusOf(event.id)).body.status).to.equal("queued");
  });
});
