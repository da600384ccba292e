import { expect } from "chai";
import { RunEndCallbacks } from "../../src/pipeline/callbacks/run-end-callbacks.js";
import { CallbackSender } from "../../src/pipeline/callbacks/send-callback.js";
import { type CallbackJob, StatusCallbacks } from "../../src/pipeline/callbacks/status-callbacks.js";
import { WebhookClient } from "../../src/webhooks/webhook-client.js";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";
import { startReceiver } from "../support/webhook-receiver.js";

/**
 * A run fails when a stage keeps failing through all its retries (minutes): the worker then
 * calls `markFailed`, which the worker role wraps as here.
 */
describe("event.failed, when a stage kept failing", () => {
  let gw: TestGateway;

  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.close());

  function failuresReported(queued: CallbackJob[]) {
    const { store } = gw.gateway;
    const callbacks = new StatusCallbacks(
      store.apps,
      { add: async (job) => void queued.push(job) },
      { now: () => new Date() },
    );
    return new RunEndCallbacks(store.events, callbacks).failures(store.events);
  }

  it("is made, signed, with the event's counts and the error", async () => {
    const receiver = await startReceiver([], () => ({ status: 204 }));
    try {
      const app = await createApp(gw, { status_callback: { url: receiver.url, events: ["event.failed"] } });
      receiver.secrets.push(app.webhook_secret);
      const event = messageEvent();
      await postEvent(gw, app, event);
      await waitForEvent(gw, app, event.id);
      const queued: CallbackJob[] = [];

      await failuresReported(queued).markFailed(app.id, event.id, 0, "a stage kept failing");

      expect(queued).to.have.length(1);
      const sender = new CallbackSender({
        apps: gw.gateway.store.apps,
        client: new WebhookClient({ allowPrivateTargets: true, responseLimitBytes: 1024, userAgent: "test" }),
        clock: { now: () => new Date() },
        timeoutMs: 2000,
      });
      await sender.process(queued[0] as CallbackJob);
      const [callback] = await receiver.waitFor(1);
      expect(callback?.verifiedWith).to.equal(0);
      expect(callback?.headers["webhook-id"]).to.equal(queued[0]?.id);
      expect(callback?.body).to.deep.include({ type: "event.failed", app_id: app.id });
      expect(callback?.body.data).to.deep.equal({
        event_id: event.id,
        event_type: "message.created",
        status: "failed",
        // The members but the actor; no devices, so nothing sent.
        recipients: 2,
        suppressed: 0,
        deliveries: { sent: 0, failed: 0, invalid_tokens: 0, expired: 0 },
        error: "a stage kept failing",
      });
    } finally {
      await receiver.close();
    }
  });

  it("is not made for an app that did not ask for it, nor for an earlier run", async () => {
    const app = await createApp(gw, {
      status_callback: { url: "https://hooks.example.com/s", events: ["event.completed"] },
    });
    const other = await createApp(gw, {
      status_callback: { url: "https://hooks.example.com/s", events: ["event.failed"] },
    });
    const event = messageEvent();
    const otherEvent = messageEvent();
    await postEvent(gw, app, event);
    await postEvent(gw, other, otherEvent);
    await waitForEvent(gw, app, event.id);
    await waitForEvent(gw, other, otherEvent.id);
    const queued: CallbackJob[] = [];

    await failuresReported(queued).markFailed(app.id, event.id, 0, "a stage kept failing");
    await failuresReported(queued).markFailed(other.id, otherEvent.id, 7, "a run that is not the event's");

    expect(queued).to.deep.equal([]);
  });

  it("answers a receiver that refuses by throwing, so that the queue tries again", async () => {
    const receiver = await startReceiver([], () => ({ status: 503 }));
    try {
      const app = await createApp(gw, { status_callback: { url: receiver.url, events: ["event.failed"] } });
      const sender = new CallbackSender({
        apps: gw.gateway.store.apps,
        client: new WebhookClient({ allowPrivateTargets: true, responseLimitBytes: 1024, userAgent: "test" }),
        clock: { now: () => new Date() },
        timeoutMs: 2000,
      });
      let error: unknown;
      await sender.process({ appId: app.id, id: "cb_1", body: "{}" }).catch((caught) => {
        error = caught;
      });
      expect((error as Error)?.message).to.include("HTTP 503");
    } finally {
      await receiver.close();
    }
  });
});
