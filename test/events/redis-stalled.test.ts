import { expect } from "chai";
import { DisposableRedis } from "../support/disposable-redis.js";
import { messageEvent, postBatch, postEvent } from "../support/events.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";

/**
 * A stalled Redis keeps its connections open and answers nothing: without a bound on each
 * command, a request would wait for ever (here: until mocha's timeout) instead of answering.
 */
describe("event ingest while Redis is stalled", () => {
  let redis: DisposableRedis;
  let gw: TestGateway;
  let app: Awaited<ReturnType<typeof createApp>>;

  before(async () => {
    redis = await DisposableRedis.start();
    gw = await startTestGateway({
      PUSHGATE_ROLE: "api",
      REDIS_URL: redis.url,
      REDIS_COMMAND_TIMEOUT_MS: 300,
    });
    app = await createApp(gw);
  });
  after(async () => {
    redis.resume();
    await gw.close();
    await redis.kill();
  });

  it("answers 503 queue-unavailable and accepts nothing, then takes the events once Redis answers again", async () => {
    const event = messageEvent();
    const batched = messageEvent();
    redis.pause();

    const refused = await postEvent(gw, app, event);
    const refusedBatch = await postBatch(gw, app, [batched]);

    redis.resume();
    for (const response of [refused, refusedBatch]) {
      expect(response.status).to.equal(503);
      expect(response.headers.get("content-type")).to.match(/^application\/problem\+json/);
      expect(response.headers.get("retry-after")).to.match(/^\d+$/);
      expect(response.body).to.include({ type: "urn:pushgate:problem:queue-unavailable", status: 503 });
    }
    for (const id of [event.id, batched.id]) {
      const status = await gw.request("GET", `/v1/apps/${app.id}/events/${id}`, { token: app.server_key });
      expect(status.status, "a refused event is not accepted").to.equal(404);
    }

    // A just-resumed Redis answers the commands queued during the stall first: on a slow
    // machine the first post after it can still time out, and answers 503 again.
    let accepted = await postEvent(gw, app, event);
    for (let attempt = 0; attempt < 50 && accepted.status === 503; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      accepted = await postEvent(gw, app, event);
    }
    const acceptedBatch = await postBatch(gw, app, [batched]);
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(202);
    expect(accepted.body).to.deep.equal({ id: event.id, status: "queued" });
    expect(acceptedBatch.body.results).to.deep.equal([{ id: batched.id, status: "queued" }]);
  });
});
