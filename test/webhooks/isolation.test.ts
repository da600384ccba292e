import { expect } from "chai";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";
import { startReceiver, type WebhookReceiver } from "../support/webhook-receiver.js";

describe("webhook isolation between apps", function () {
  this.timeout(60_000);
  const hangMs = 2000;
  let gw: TestGateway;
  const receivers: WebhookReceiver[] = [];

  before(async () => {
    gw = await startTestGateway({ WEBHOOK_WORKER_CONCURRENCY: 4, WEBHOOK_APP_CONCURRENCY: 1 });
  });
  after(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await gw.close();
  });

  it("keeps another app's events flowing while one app's webhook hangs for the full timeout on every call", async () => {
    const hanging = await startReceiver([], () => ({ delayMs: hangMs + 500, body: { action: "drop" } }));
    const healthy = await startReceiver([], () => ({ body: { action: "drop" } }));
    receivers.push(hanging, healthy);
    const slow = await createApp(gw, { mode: "webhook", webhook: { url: hanging.url, timeout_ms: hangMs } });
    const fast = await createApp(gw, { mode: "webhook", webhook: { url: healthy.url } });

    for (let i = 0; i < 12; i++) await postEvent(gw, slow, messageEvent());
    await hanging.waitFor(1);

    for (let i = 0; i < 3; i++) {
      const event = messageEvent();
      expect((await postEvent(gw, fast, event)).status).to.equal(202);
      // Were the healthy app queued behind the hanging one, it would wait out a whole timeout.
      const status = await waitForEvent(gw, fast, event.id, undefined, hangMs - 500);
      expect(status.webhook.outcome).to.equal("dropped");
    }
    expect(hanging.deliveries.length, "the hanging app never holds more than its share").to.be.at.most(2);
  });
});
