import { expect } from "chai";
import { consolePageText, signInToConsole } from "../support/console-session.js";
import { messageEvent, postEvent } from "../support/events.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";
import { startReceiver, type WebhookReceiver } from "../support/webhook-receiver.js";

/** The story of an event whose webhook call waits out a retry: when the next one is due, from the queue. */
describe("operator console: an event's next retry", () => {
  let gw: TestGateway;
  let hook: WebhookReceiver;

  before(async () => {
    gw = await startTestGateway();
    hook = await startReceiver([], () => ({ status: 503, headers: { "retry-after": "120" } }));
  });
  after(async () => {
    await hook.close();
    await gw.close();
  });

  it("says when the next call of a webhook that asked to wait is due", async () => {
    const app = await createApp(gw, { mode: "webhook", webhook: { url: hook.url } });
    const event = messageEvent();
    const askedAt = Date.now();
    expect((await postEvent(gw, app, event)).status).to.equal(202);
    await hook.waitFor(1);
    const { cookie } = await signInToConsole(gw.url, gw.adminToken);
    const path = `/apps/${app.id}/events/${encodeURIComponent(event.id)}`;

    let story = "";
    for (let tries = 0; tries < 50 && !story.includes("Next retry due"); tries += 1) {
      story = await consolePageText(gw.url, cookie, path);
      if (!story.includes("Next retry due")) await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const due = /the next is due at (\S+ \S+) UTC/.exec(story)?.[1]?.replace(" ", "T");
    expect(story).to.include("Retrying.").and.include("Next retry due");
    expect(story, "the request as sent")
      .to.include("As the run's first call sent it")
      .and.include(`&quot;recipient_ids&quot;`);
    expect(Date.parse(`${due}Z`), "Retry-After: 120 s").to.be.within(askedAt + 110_000, askedAt + 140_000);
  });
});
