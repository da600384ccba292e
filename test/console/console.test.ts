import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { eventId, messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { createPushApp, type PushWorld, startPushWorld, userWithDevices } from "../support/push-world.js";
import { startReceiver, type WebhookReceiver } from "../support/webhook-receiver.js";
import {
  expectAccessible,
  launchChromium,
  pagePerTest,
  requireChromium,
  signInToConsole,
} from "./browser.js";

describe("operator console in a browser", function () {
  this.timeout(60_000);
  let world: PushWorld;
  let browser: Browser;
  let page: Page;

  before(async function () {
    requireChromium(this);
    world = await startPushWorld();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await world?.close();
  });

  pagePerTest(
    () => browser,
    (opened) => {
      page = opened;
    },
  );

  const consoleUrl = (path: string) => `${world.gw.url}/console${path}`;

  const signIn = (credential: string) => signInToConsole(page, world.gw.url, credential, "/");

  async function storyOf(appId: string, id: string) {
    await page.goto(consoleUrl(`/events?app=${appId}`));
    await page.getByRole("link", { name: id }).click();
    await page.getByRole("heading", { name: `Event ${id}` }).waitFor();
  }

  it("signs in with the admin token, creates an app and turns its push off", async () => {
    await page.goto(consoleUrl("/apps"));
    await page.waitForURL(/\/console\/sign-in/);
    await expectAccessible(page);
    await signIn(world.gw.adminToken);
    await expectAccessible(page);

    await page.getByLabel("Name", { exact: true }).fill("Console Chat");
    await page.getByRole("button", { name: "Create app" }).click();
    await page.getByText("Console Chat is created.").waitFor();
    const serverKey = await page.locator("dd code.secret").first().textContent();
    expect(serverKey).to.match(/^sk_/);
    await expectAccessible(page);

    const appId = /\/console\/apps\/([^/?]+)$/.exec(page.url())?.[1] ?? "";
    await page.getByRole("link", { name: "Turn push off for everyone…" }).click();
    await page.getByRole("button", { name: "Turn push off" }).click();
    await page.getByRole("button", { name: "Turn push back on" }).waitFor();
    const stored = await world.gw.request("GET", `/v1/apps/${appId}`, { token: world.gw.adminToken });
    expect(stored.body.push_enabled).to.equal(false);
    expect(stored.body.name).to.equal("Console Chat");

    await page.getByRole("link", { name: "Rotate event secret…" }).click();
    await page.getByRole("button", { name: "Rotate the event secret" }).click();
    const rotated = await page.locator("code.secret").textContent();
    expect(rotated).to.match(/^whsec_/);
  });

  it("tells an event's story, from receipt to deliveries", async () => {
    const user = await userWithDevices(world.gw, world.app, "u2", { android: true, ios: true });
    const event = messageEvent({ channel: { id: "c1", display_name: "Team", member_ids: ["u1", "u2"] } });
    expect((await postEvent(world.gw, world.app, event)).status).to.equal(202);
    await waitForEvent(world.gw, world.app, event.id);
    for (const token of [user.android, user.ios])
      expect(world.sims.received.forToken(token as string), "what the story counts as sent").to.have.length(
        1,
      );

    await signIn(world.gw.adminToken);
    await storyOf(world.app.id, event.id);
    const story = page.locator("#story");
    expect(await story.getByText("completed").first().isVisible()).to.equal(true);
    const facts = await story.locator("dl.facts").last().textContent();
    expect(facts).to.match(/Device tokens targeted\s*2/);
    expect(facts).to.match(/Sent\s*2/);
    await expectAccessible(page);
    if (process.env.CONSOLE_SCREENSHOT)
      await page.screenshot({ path: process.env.CONSOLE_SCREENSHOT, fullPage: true });
  });

  it("replays an event whose webhook failed, and it goes out the second time", async () => {
    let answer: "broken" | "send" = "broken";
    const receiver: WebhookReceiver = await startReceiver([], () =>
      answer === "broken" ? { status: 200, body: "not json" } : { body: { action: "send" } },
    );
    try {
      const { app } = await createPushApp(world.gw, world.sims, {
        mode: "webhook",
        webhook: { url: receiver.url, fallback: "drop" },
      });
      receiver.secrets.push(app.webhook_secret);
      await userWithDevices(world.gw, app, "u2");
      const event = messageEvent({ id: eventId(), channel: { id: "c9", member_ids: ["u1", "u2"] } });
      await postEvent(world.gw, app, event);
      await waitForEvent(world.gw, app, event.id);

      await signIn(world.gw.adminToken);
      await storyOf(app.id, event.id);
      expect(await page.locator("#story").textContent())
        .to.include("fallback_drop")
        .and.include("not json");
      answer = "send";
      await page.getByRole("button", { name: "Replay this event" }).click();
      await page.getByText("The event is queued again.").waitFor();
      await page.locator("#story", { hasText: "completed" }).getByText("Outcome: send").waitFor();
      await page.locator("#story dl.facts", { hasText: /Sent\s*1/ }).waitFor();
      const status = await waitForEvent(world.gw, app, event.id);
      expect(status.deliveries).to.include({ sent: 1 });
      await expectAccessible(page);
    } finally {
      await receiver.close();
    }
  });

  it("turns a webhook off after confirming, says so at the top of the app page, and turns it back on", async () => {
    const { app } = await createPushApp(world.gw, world.sims, {
      name: "Relay app",
      mode: "webhook",
      webhook: { url: "http://127.0.0.1:9/hook", fallback: "send" },
    });
    await signIn(world.gw.adminToken);
    await page.goto(consoleUrl(`/apps/${app.id}`));
    await page.getByRole("link", { name: "Turn the webhook off…" }).click();
    await page.getByRole("heading", { name: "Turn the webhook of Relay app off?" }).waitFor();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Turn the webhook off" }).click();

    const banner = page.getByRole("alert").filter({ hasText: "The webhook is off" });
    expect(await banner.textContent())
      .to.include("turned off by an operator")
      .and.include("sent without your server");
    await expectAccessible(page);
    const off = await world.gw.request("GET", `/v1/apps/${app.id}`, { token: world.gw.adminToken });
    expect(off.body.webhook.enabled).to.equal(false);

    await banner.getByRole("button", { name: "Turn the webhook back on" }).click();
    await page.getByText("The webhook is back on.").waitFor();
    expect(await page.getByRole("alert").count()).to.equal(0);
    const on = await world.gw.request("GET", `/v1/apps/${app.id}`, { token: world.gw.adminToken });
    expect(on.body.webhook.enabled).to.equal(true);
  });

  it("shows a user's devices, settings at three levels, and latest events", async () => {
    await signIn(world.gw.adminToken);
    await page.goto(consoleUrl(`/users?app=${world.app.id}&user=u2&channel=c1`));
    const main = await page.locator("main").textContent();
    expect(main).to.include("android (1)").and.include("ios (1)");
    expect(main).to.match(/Network \(the app's push switch\)\s*on/);
    expect(main).to.include("message.created");
    await expectAccessible(page);
  });

  it("draws the live charts from the gateway's metrics", async () => {
    await signIn(world.gw.adminToken);
    await page.goto(consoleUrl("/live"));
    expect(await page.locator("svg.chart").count()).to.equal(3);
    expect(await page.locator("figcaption").allInnerTexts()).to.deep.equal([
      "Events accepted",
      "Deliveries by outcome",
      "Webhook latency (mean)",
    ]);
    await expectAccessible(page);
    await page.goto(consoleUrl(`/events?app=${world.app.id}`));
    await expectAccessible(page);
    await page.goto(consoleUrl(`/apps/${world.app.id}`));
    await expectAccessible(page);
  });

  it("works with the keyboard: skip link, sign-in form, navigation", async () => {
    await page.goto(consoleUrl("/sign-in"));
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement.textContent")).to.equal("Skip to content");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement.id")).to.equal("credential");
    await page.keyboard.type(world.gw.adminToken);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/console\/apps$/);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement.textContent")).to.equal("Events");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/console\/events$/);
  });

  it("shows a server key's own app only", async () => {
    const other = await createPushApp(world.gw, world.sims, { name: "Other app" });
    await signIn(world.app.server_key);
    const names = await page.locator("tbody td:first-child").allInnerTexts();
    expect(names).to.deep.equal(["Test app"]);
    const response = await page.goto(consoleUrl(`/apps/${other.app.id}`));
    expect(response?.status()).to.equal(404);
    await expectAccessible(page);
  });
});
