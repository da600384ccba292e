import { expect } from "chai";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";
import { startReceiver, type WebhookReceiver } from "../support/webhook-receiver.js";

describe("webhook isolation between apps", function () {
  this.timeout(60_000);
  let gw: TestGateway;
  const receivers: WebhookReceiver[] = [];

  before(async () => {
    gw = await startTestGateway({ WEBHOOK_WORKER_CONCURRENCY: 4, WEBHOOK_APP_CONCURRENCY: 1 });
  });
  after(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await gw.close();
  });

  it("keeps another app's events flowing while one app's webhook call hangs", async () => {
    // The hanging call outlasts the test (closing the receiver cuts it): every healthy event
    // below is completed while the slow app's first call is still open.
    const hanging = await startReceiver([], () => ({ delayMs: 120_000, body: { action: "drop" } }));
    const healthy = await startReceiver([], () => ({ body: { action: "drop" } }));
    receivers.push(hanging, healthy);
    const slow = await createApp(gw, { mode: "webhook", webhook: { url: hanging.url, timeout_ms: 15_000 } });
    const fast = await createApp(gw, { mode: "webhook", webhook: { url: healthy.url } });

    for (let i = 0; i < 12; i++) await postEvent(gw, slow, messageEvent());
    await hanging.waitFor(1);

    for (let i = 0; i < 3; i++) {
      const event = messageEvent();
      expect((await postEvent(gw, fast, event)).status).to.equal(202);
      const status = await waitForEvent(gw, fast, event.id);
      expect(status.webhook.outcome).to.equal("dropped");
    }
    const slowAttempts = await gw.request("GET", `/v1/apps/${slow.id}/events?status=completed`, {
      token: slow.server_key,
    });
    expect(slowAttempts.body.events, "no event of the hanging app is done yet").to.deep.equal([]);
    // A call given up after its 15 s timeout frees the slot: only calls made meanwhile would overlap.
    const firstCallAt = hanging.deliveries[0]?.at ?? 0;
    const overlapping = hanging.deliveries.filter((call) => call.at - firstCallAt < 15_000);
    expect(overlapping, "the hanging app holds its one slot, no more").to.have.length(1);
  });
});
