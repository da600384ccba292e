import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { appProviderSettings } from "../../src/simulators/simulated-credentials.js";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { createPushApp, type PushWorld, startPushWorld, userWithDevices } from "../support/push-world.js";
import { createApp } from "../support/test-gateway.js";
import { startReceiver, type WebhookReceiver } from "../support/webhook-receiver.js";
import {
  expectAccessible,
  launchChromium,
  pagePerTest,
  requireChromium,
  signInToConsole,
} from "./browser.js";

/** The console's events pages in Chromium: the findings 3 to 7. */
describe("operator console: events pages in a browser", function () {
  this.timeout(90_000);
  let world: PushWorld;
  let browser: Browser;
  let page: Page;
  /**
   * A webhook app whose customer answers "send" and whose FCM project is not its credential's:
   * every delivery fails, with the provider's reason.
   */
  let failing: Awaited<ReturnType<typeof createApp>>;
  let receiver: WebhookReceiver;
  let failedEventId: string;

  before(async function () {
    requireChromium(this);
    world = await startPushWorld();
    browser = await launchChromium();
    receiver = await startReceiver([], () => ({ body: { action: "send" } }));
    const credentials = world.sims.registerApp();
    failing = await createApp(world.gw, {
      name: "Failing app",
      mode: "webhook",
      webhook: { url: receiver.url, fallback: "send" },
      ...appProviderSettings(credentials),
      fcm: { service_account: { ...credentials.fcm, project_id: "someone-elses-project" } },
    });
    receiver.secrets.push(failing.webhook_secret);
    await userWithDevices(world.gw, failing, "u2");
    const event = messageEvent({ channel: { id: "c7", member_ids: ["u1", "u2"] } });
    failedEventId = event.id;
    await postEvent(world.gw, failing, event);
    const status = await waitForEvent(world.gw, failing, event.id);
    expect(status).to.include({ status: "completed" });
    expect(status.webhook).to.include({ outcome: "send" });
    expect(status.deliveries).to.include({ failed: 1 });
  });

  after(async () => {
    await browser?.close();
    await world?.close();
    await receiver?.close();
  });

  pagePerTest(
    () => browser,
    (opened) => {
      page = opened;
    },
  );
  beforeEach(() => signInToConsole(page, world.gw.url, world.gw.adminToken));

  const consoleUrl = (path: string) => `${world.gw.url}/console${path}`;

  const storyUrl = (appId: string, id: string) =>
    consoleUrl(`/apps/${appId}/events/${encodeURIComponent(id)}`);
  const focusedClass = () => page.evaluate("document.activeElement.className");
  const rawPanelOpen = () => page.evaluate('document.getElementById("raw-event").open');

  it("names why a delivery failed, and 'had failures' finds the event that completed with failures", async () => {
    await page.goto(consoleUrl(`/events?app=${failing.id}&status=failed`));
    expect(await page.locator("#match-count").textContent()).to.equal("No event matches.");

    await page.getByLabel("Status").selectOption("");
    await page.getByLabel("Had failures").check();
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/failures=1/);
    expect(await page.locator("#match-count").textContent()).to.equal("1 event matches.");
    await expectAccessible(page);

    await page.getByRole("link", { name: failedEventId }).click();
    await page.getByRole("heading", { name: `Event ${failedEventId}` }).waitFor();
    const reasons = page.getByRole("table", { name: "Why deliveries did not go out" });
    const row = await reasons.locator("tbody tr").first().textContent();
    expect(row).to.include("u2").and.include("failed");
    const reason = ((await reasons.locator("td.reason").first().textContent()) ?? "").trim();
    expect(reason, "the provider's answer").to.not.equal("no status");
    expect(reason.length).to.be.greaterThan(3);
    await expectAccessible(page);
    await page.getByText("The request sent to the webhook").click();
    expect(await page.locator("#webhook-request pre").textContent()).to.include(`"id": "${failedEventId}"`);
    await expectAccessible(page);
    if (process.env.CONSOLE_SCREENSHOT) {
      await page.setViewportSize({ width: 1100, height: 900 });
      await page.screenshot({ path: process.env.CONSOLE_SCREENSHOT, fullPage: true });
    }
  });

  it("replays the events of one type after confirming how many, and the notice takes the focus", async () => {
    const { app } = await createPushApp(world.gw, world.sims, { name: "Replay app" });
    await userWithDevices(world.gw, app, "u2");
    const messages = [messageEvent(), messageEvent()];
    const custom = {
      id: `custom_${Date.now()}`,
      type: "notification.custom",
      occurred_at: new Date().toISOString(),
      recipient_ids: ["u2"],
      notification: { title: "Hi", body: "there" },
    };
    for (const event of [...messages, custom])
      expect((await postEvent(world.gw, app, event)).status).to.equal(202);
    for (const event of [...messages, custom]) await waitForEvent(world.gw, app, event.id);

    await page.goto(consoleUrl(`/events?app=${app.id}`));
    await page.getByLabel("Type").selectOption("message.created");
    await page.getByRole("button", { name: "Filter" }).click();
    expect(await page.locator("#match-count").textContent()).to.equal("2 events match.");
    await page.getByRole("link", { name: "Replay the matching events…" }).click();
    await page.getByRole("heading", { name: "Replay 2 events?" }).waitFor();
    expect(await page.locator("main dl.facts").textContent()).to.include("message.created");
    await expectAccessible(page);
    await page.getByRole("button", { name: "Replay 2 events" }).click();

    await page.getByText("2 event(s) queued again.").waitFor();
    expect(await focusedClass()).to.equal("notice");
    expect(page.url()).to.include("type=message.created");
    await expectAccessible(page);
    const store = world.gw.gateway.store.events;
    for (const event of messages) expect((await store.find(app.id, event.id))?.run).to.equal(1);
    expect((await store.find(app.id, custom.id))?.run, "not of the type: not replayed").to.equal(0);
  });

  it("keeps the raw JSON panel open while the in-flight story refreshes itself", async () => {
    const user = await userWithDevices(world.gw, world.app, "u_flaky", { android: true });
    world.sims.scriptToken(user.android as string, { kind: "flaky", failures: 100_000 });
    const event = messageEvent({ channel: { id: "c_flaky", member_ids: ["u1", "u_flaky"] } });
    await postEvent(world.gw, world.app, event);
    await waitForEvent(world.gw, world.app, event.id, (body) => body.status === "processing");

    await page.goto(storyUrl(world.app.id, event.id));
    await page.getByText("Event as received (JSON)").click();
    expect(await rawPanelOpen()).to.equal(true);
    const refreshed = () =>
      page.waitForResponse(
        (response) =>
          response.url().endsWith(encodeURIComponent(event.id)) &&
          response.request().headers()["hx-request"] === "true",
      );
    await refreshed();
    await refreshed();
    await page.locator("#story").getByText("retrying").first().waitFor();
    expect(await page.locator("#story[hx-get]").count(), "still in flight").to.equal(1);
    expect(await rawPanelOpen()).to.equal(true);
    await expectAccessible(page);
  });

  for (const width of [390, 360]) {
    it(`lays the events pages out at ${width} px without sideways scrolling, with tap targets of 24 px`, async () => {
      await page.setViewportSize({ width, height: 800 });
      for (const path of [
        `/events?app=${failing.id}`,
        `/events/replay?app=${failing.id}&failures=1`,
        `/apps/${failing.id}/events/${encodeURIComponent(failedEventId)}`,
      ]) {
        await page.goto(consoleUrl(path));
        const overflow = (await page.evaluate(
          "[document.documentElement.scrollWidth, document.documentElement.clientWidth]",
        )) as [number, number];
        expect(overflow[0], `${path}: page width`).to.be.at.most(overflow[1]);
        const small =
          await page.evaluate(`[...document.querySelectorAll("main a, main button, main select, main input, main summary")]
          .map((element) => ({ element, box: element.getBoundingClientRect() }))
          .filter(({ box }) => box.width > 0 && (box.height < 24 || box.width < 24))
          .map(({ element, box }) => element.outerHTML.slice(0, 80) + " " + box.width + "×" + box.height)`);
        expect(small, `${path}: tap targets under 24 px`).to.deep.equal([]);
        await expectAccessible(page);
      }
    });
  }

  it("puts the focus on the notice after replaying one event", async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(storyUrl(failing.id, failedEventId));
    await page.getByRole("button", { name: "Replay this event" }).click();
    await page.getByText("The event is queued again.").waitFor();
    expect(await focusedClass()).to.equal("notice");
    await waitForEvent(world.gw, failing, failedEventId);
  });
});
