import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { createPushApp, type PushWorld, startPushWorld, userWithDevices } from "../support/push-world.js";
import {
  expectAccessible,
  launchChromium,
  pagePerTest,
  requireChromium,
  signInToConsole,
} from "./browser.js";

/** Where focus is: the notice after an action. */
const focusedId = (page: Page) => page.evaluate("document.activeElement?.id ?? ''") as Promise<string>;

/** What sticks out past the window's right edge when the page itself scrolls sideways: nothing, or the culprits. */
const sidewaysOverflow = (page: Page) =>
  page.evaluate(`(() => {
    if (document.documentElement.scrollWidth <= window.innerWidth) return [];
    return [...document.querySelectorAll("body *")]
      .filter((element) => element.getBoundingClientRect().right > window.innerWidth)
      .map((element) => element.tagName + "." + element.className + "#" + element.id)
      .slice(-5);
  })()`) as Promise<string[]>;

/**
 * The controls smaller than 24 × 24 px (WCAG 2.5.8), except links inside a sentence, which the
 * criterion exempts: a link is inline when its block holds text besides it.
 */
const smallTargets = (page: Page) =>
  page.evaluate(`(() => {
    const inSentence = (element) => {
      const block = element.closest("p, li, dd, span.hint");
      return block !== null && block.textContent.trim() !== element.textContent.trim();
    };
    return [...document.querySelectorAll("a, button, input, select, textarea, summary")]
      .filter((element) => !(element.tagName === "INPUT" && element.type === "hidden"))
      .filter((element) => !(element.tagName === "A" && inSentence(element)))
      .map((element) => ({ element, box: element.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && box.height > 0 && (box.width < 24 || box.height < 24))
      .map(({ element, box }) => element.outerHTML.slice(0, 80) + " " + box.width + "×" + box.height);
  })()`) as Promise<string[]>;

describe("operator console actions in a browser: redirects, confirmations, narrow screens", function () {
  this.timeout(90_000);
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
    { permissions: ["clipboard-read", "clipboard-write"] },
  );

  const consoleUrl = (path: string) => `${world.gw.url}/console${path}`;
  const appsNamed = async (name: string) =>
    (await world.gw.request("GET", "/v1/apps", { token: world.gw.adminToken })).body.apps.filter(
      (app: { name: string }) => app.name === name,
    );

  const signIn = (credential: string) => signInToConsole(page, world.gw.url, credential);

  it("creates an app once: the reload neither creates another nor shows its secrets again; Copy copies one", async () => {
    await signIn(world.gw.adminToken);
    await page.getByLabel("Name", { exact: true }).fill("Reload Chat");
    await page.getByRole("button", { name: "Create app" }).click();
    await page.getByText("Reload Chat is created.").waitFor();
    expect(page.url()).to.match(/\/console\/apps\/[^/]+$/);
    expect(await focusedId(page), "the notice has focus").to.equal("notice");
    const serverKey = (await page.locator("#notice code.secret").first().textContent()) ?? "";
    expect(serverKey).to.match(/^sk_/);
    await page.getByRole("button", { name: "Copy server key" }).click();
    await page.getByText("Copied.").waitFor();
    expect(await page.evaluate("navigator.clipboard.readText()")).to.equal(serverKey);
    await expectAccessible(page);

    await page.reload();
    expect(await appsNamed("Reload Chat")).to.have.length(1);
    expect(await page.locator("code.secret").count(), "shown once").to.equal(0);
    expect(await page.getByText("Reload Chat is created.").count()).to.equal(0);
  });

  it("rotates a secret after confirming, once: the reload rotates nothing and shows nothing", async () => {
    const { app } = await createPushApp(world.gw, world.sims, { name: "Rotated app" });
    await signIn(world.gw.adminToken);
    await page.goto(consoleUrl(`/apps/${app.id}`));
    await page.getByRole("link", { name: "Rotate server key…" }).click();
    await page.getByRole("heading", { name: "Rotate the server key of Rotated app?" }).waitFor();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Rotate the server key" }).click();
    await page.getByText("The server key is rotated").waitFor();
    expect(await focusedId(page)).to.equal("notice");
    const rotated = (await page.locator("#notice code.secret").textContent()) ?? "";

    await page.reload();
    expect(await page.locator("code.secret").count(), "shown once").to.equal(0);
    const keys = await world.gw.gateway.store.apps.activeSecrets(app.id, "server_key", new Date());
    expect(keys.map((key) => key.value).sort(), "the old key (overlap) and one new").to.deep.equal(
      [app.server_key, rotated].sort(),
    );
    const withNewKey = await world.gw.request("GET", `/v1/apps/${app.id}`, { token: rotated });
    expect(withNewKey.status).to.equal(200);
  });

  it("keeps what was typed in a refused form, and focuses its errors", async () => {
    await signIn(world.gw.adminToken);
    await page.getByLabel("Name", { exact: true }).fill("Half-made relay");
    await page.getByLabel("Mode", { exact: true }).selectOption("webhook");
    await page.getByRole("button", { name: "Create app" }).click();
    await page.getByText("That did not work").waitFor();
    expect(await focusedId(page), "the errors have focus").to.equal("errors");
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).to.equal("Half-made relay");
    expect(await page.getByLabel("Mode", { exact: true }).inputValue()).to.equal("webhook");
    expect(await page.locator("#new-webhook-url").getAttribute("aria-invalid")).to.equal("true");
    expect(await appsNamed("Half-made relay")).to.have.length(0);
    await expectAccessible(page);

    await page.goto(consoleUrl(`/apps/${world.app.id}`));
    await page.getByLabel("Name", { exact: true }).fill("Renamed in vain");
    await page.getByLabel("Mode", { exact: true }).selectOption("webhook");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("That did not work").waitFor();
    expect(await focusedId(page)).to.equal("errors");
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).to.equal("Renamed in vain");
    expect(await page.getByLabel("Mode", { exact: true }).inputValue()).to.equal("webhook");
    const stored = await world.gw.request("GET", `/v1/apps/${world.app.id}`, { token: world.gw.adminToken });
    expect(stored.body.name).to.equal("Test app");
  });

  it("turns push off only after confirming, and focuses the outcome", async () => {
    const { app } = await createPushApp(world.gw, world.sims, { name: "Quiet app" });
    await signIn(world.gw.adminToken);
    await page.goto(consoleUrl(`/apps/${app.id}`));
    await page.getByRole("link", { name: "Turn push off for everyone…" }).click();
    await page.getByRole("heading", { name: "Turn push off for everyone using Quiet app?" }).waitFor();
    await expectAccessible(page);
    await page.getByRole("link", { name: "Keep it on" }).click();
    const kept = await world.gw.request("GET", `/v1/apps/${app.id}`, { token: world.gw.adminToken });
    expect(kept.body.push_enabled, "asking changes nothing").to.equal(true);

    await page.getByRole("link", { name: "Turn push off for everyone…" }).click();
    await page.getByRole("button", { name: "Turn push off" }).click();
    await page.getByText("Push is off").waitFor();
    expect(await focusedId(page)).to.equal("notice");
    const off = await world.gw.request("GET", `/v1/apps/${app.id}`, { token: world.gw.adminToken });
    expect(off.body.push_enabled).to.equal(false);
    await page.getByRole("button", { name: "Turn push back on" }).click();
    await page.getByText("Push is back on").waitFor();
    expect(await focusedId(page)).to.equal("notice");
  });

  it("deletes an app after a confirmation that names it and what goes with it", async () => {
    const { app } = await createPushApp(world.gw, world.sims, { name: "Doomed app" });
    await signIn(world.gw.adminToken);
    await page.goto(consoleUrl(`/apps/${app.id}`));
    await page.getByRole("link", { name: "Delete Doomed app…" }).click();
    await page.getByRole("heading", { name: "Delete Doomed app?" }).waitFor();
    const question = (await page.locator("main").textContent()) ?? "";
    expect(question).to.include(app.id).and.include("device").and.include("events").and.include("server key");
    await expectAccessible(page);
    await page.getByRole("button", { name: "Delete Doomed app" }).click();
    await page.waitForURL(/\/console\/apps$/);
    await page.getByText(`Doomed app (${app.id}) is deleted`).waitFor();
    expect(await focusedId(page)).to.equal("notice");
    expect(await appsNamed("Doomed app")).to.have.length(0);
  });

  it("removes a user's device after confirming", async () => {
    const { app } = await createPushApp(world.gw, world.sims, { name: "Devices app" });
    await userWithDevices(world.gw, app, "carol", { android: true, ios: true });
    await signIn(world.gw.adminToken);
    await page.goto(consoleUrl(`/users?app=${app.id}&user=carol`));
    await page.getByRole("link", { name: "Remove… device android-carol" }).click();
    await page.getByRole("heading", { name: "Remove the device android-carol from carol?" }).waitFor();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Remove the device" }).click();
    await page.getByText("The device android-carol is removed from carol.").waitFor();
    expect(await focusedId(page)).to.equal("notice");
    const main = (await page.locator("main").textContent()) ?? "";
    expect(main).to.include("android (0)").and.include("ios (1)");
    await expectAccessible(page);
  });

  it("sends a test notification and focuses its answers after the redirect", async () => {
    const dora = await userWithDevices(world.gw, world.app, "dora", { android: true });
    await signIn(world.gw.adminToken);
    await page.goto(consoleUrl(`/users?app=${world.app.id}&user=dora`));
    await page.getByRole("button", { name: "Send a test notification" }).click();
    await page.getByText("The test notification went to 1 device").waitFor();
    expect(await focusedId(page)).to.equal("notice");
    await page.reload();
    expect(await page.getByText("The test notification went to").count(), "not sent again").to.equal(0);
    expect(world.sims.received.forToken(dora.android as string)).to.have.length(1);
  });

  it("fits 390 and 360 px wide on every page it owns, with targets of 24 px at least", async () => {
    await userWithDevices(world.gw, world.app, "erin", { android: true, ios: true });
    await signIn(world.gw.adminToken);
    const paths = [
      "/apps",
      `/apps/${world.app.id}`,
      `/apps/${world.app.id}/push/off`,
      `/apps/${world.app.id}/secrets/server-key/rotate`,
      `/apps/${world.app.id}/delete`,
      `/users?app=${world.app.id}&user=erin`,
      `/apps/${world.app.id}/templates`,
      `/apps/${world.app.id}/templates/message.created`,
      "/live",
      `/live?app=${world.app.id}`,
      "/no-such-page",
    ];
    for (const width of [390, 360]) {
      await page.setViewportSize({ width, height: 800 });
      for (const path of paths) {
        await page.goto(consoleUrl(path));
        expect(await sidewaysOverflow(page), `${path} at ${width} px`).to.deep.equal([]);
        expect(await smallTargets(page), `${path} at ${width} px`).to.deep.equal([]);
      }
    }
    await page.context().clearCookies();
    await page.goto(consoleUrl("/sign-in"));
    expect(await sidewaysOverflow(page)).to.deep.equal([]);
    expect(await smallTargets(page)).to.deep.equal([]);
  });

  it("shows a server key's session its own app's live rates only", async () => {
    const other = await createPushApp(world.gw, world.sims, { name: "Neighbour app" });
    await signIn(world.app.server_key);
    await page.goto(consoleUrl("/live"));
    await page.getByRole("heading", { name: "Live: Test app" }).waitFor();
    expect(await page.locator("figcaption").allInnerTexts()).to.deep.equal([
      "Events accepted",
      "Notifications by outcome",
    ]);
    expect(await page.locator("#charts").getAttribute("hx-get")).to.equal(
      `/console/live/charts?app=${world.app.id}`,
    );
    expect(await page.locator("select#live-app").count(), "no other app to pick").to.equal(0);
    await expectAccessible(page);
    expect((await page.goto(consoleUrl(`/live?app=${other.app.id}`)))?.status()).to.equal(404);
    expect((await page.goto(consoleUrl(`/live/charts?app=${other.app.id}`)))?.status()).to.equal(404);
  });

  it("lets the operator pick an app in the live view, and answers 404 to an unknown one", async () => {
    await signIn(world.gw.adminToken);
    await page.goto(consoleUrl("/live"));
    await page.getByLabel("Rates of").selectOption(world.app.id);
    await page.getByRole("button", { name: "Show" }).click();
    await page.getByRole("heading", { name: "Live: Test app" }).waitFor();
    await expectAccessible(page);
    expect((await page.goto(consoleUrl("/live?app=app_nope")))?.status()).to.equal(404);
    await page.getByRole("heading", { name: "Not found" }).waitFor();
    expect((await page.goto(consoleUrl("/users?app=app_nope")))?.status()).to.equal(404);
  });
});
