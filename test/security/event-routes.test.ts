import { request } from "node:http";
import { expect } from "chai";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";

/** Posts only the headers of a 1 MiB event and resolves with the status the gateway answers, if it answers. */
function headersOnlyPost(gw: TestGateway, pathname: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const posting = request(`${gw.url}${pathname}`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(1024 * 1024 - 1) },
    });
    posting.on("response", (response) => {
      resolve(response.statusCode ?? 0);
      posting.destroy();
    });
    posting.on("error", reject);
    posting.flushHeaders();
  });
}

describe("security: event routes", () => {
  let gw: TestGateway;
  let app: Awaited<ReturnType<typeof createApp>>;

  before(async () => {
    gw = await startTestGateway();
    app = await createApp(gw);
  });
  after(() => gw.close());

  it("reads and replays events whose ids are batch or replay, like any other", async () => {
    for (const id of ["batch", "replay"]) {
      expect((await postEvent(gw, app, messageEvent({ id }))).status).to.equal(202);
      const status = await gw.request("GET", `/v1/apps/${app.id}/events/${id}`, { token: app.server_key });
      expect(status.status, id).to.equal(200);
      expect(status.body.id).to.equal(id);
      const replayed = await gw.request("POST", `/v1/apps/${app.id}/events/${id}/replay`, {
        token: app.server_key,
      });
      expect(replayed.status, id).to.equal(202);
      expect(replayed.body).to.deep.equal({ id, status: "queued" });
    }
  });

  it("answers 404 for an app that does not exist before reading the body", async () => {
    expect(await headersOnlyPost(gw, "/v1/apps/app_missing/events")).to.equal(404);
    expect(await headersOnlyPost(gw, "/v1/apps/app_missing/events/batch")).to.equal(404);
  });
});

describe("security: bulk replay", () => {
  it("queues at most EVENT_REPLAY_BULK_MAX events a call, oldest first, and says when more match", async () => {
    const gw = await startTestGateway({ EVENT_REPLAY_BULK_MAX: 2 });
    try {
      const app = await createApp(gw);
      const events = [messageEvent(), messageEvent(), messageEvent()];
      for (const event of events) expect((await postEvent(gw, app, event)).status).to.equal(202);
      for (const event of events) await waitForEvent(gw, app, event.id);
      const first = await gw.request("POST", `/v1/apps/${app.id}/events/replay`, {
        token: app.server_key,
        body: { status: "completed" },
      });
      expect(first.status).to.equal(202);
      expect(first.body).to.deep.include({ replayed: 2, more: true });
      expect(first.body.ids).to.have.length(2);
    } finally {
      await gw.close();
    }
  });
});
