import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";
import {
  expectAccessible,
  launchChromium,
  pagePerTest,
  requireChromium,
  signInToConsole,
} from "./browser.js";

/** The template editor in Chromium at a phone's width: axe, tap targets, and the live preview. */
describe("operator console: notification wording in a browser", function () {
  this.timeout(60_000);
  let gw: TestGateway;
  let browser: Browser;
  let page: Page;

  before(async function () {
    requireChromium(this);
    gw = await startTestGateway();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await gw?.close();
  });
  pagePerTest(
    () => browser,
    (opened) => {
      page = opened;
    },
    { viewport: { width: 390, height: 844 } },
  );
  beforeEach(() => signInToConsole(page, gw.url, gw.adminToken));

  /** No horizontal scroll at 390 px, and every control of the page's content at least 24 px square. */
  async function expectPhoneFriendly() {
    expect(await page.evaluate("document.documentElement.scrollWidth")).to.be.at.most(390);
    const small =
      (await page.evaluate(`[...document.querySelectorAll("main a, main button, main input, main select, main textarea")]
      .filter((el) => el.type !== "hidden")
      .map((el) => [el.outerHTML.slice(0, 80), el.getBoundingClientRect()])
      .filter(([, box]) => box.width < 24 || box.height < 24)
      .map(([tag]) => tag)`)) as string[];
    expect(small).to.deep.equal([]);
  }

  it("lists the event types and edits one, with a live preview as the operator types", async () => {
    const app = await createApp(gw);
    await page.goto(`${gw.url}/console/apps/${app.id}`);
    await page.getByRole("link", { name: "wording per event type and language" }).click();
    await page.getByRole("heading", { name: "Notification wording of Test app" }).waitFor();
    await expectAccessible(page);
    await expectPhoneFriendly();

    await page.getByRole("link", { name: "message.created" }).click();
    await page.getByRole("heading", { name: "Wording of message.created" }).waitFor();
    await expectAccessible(page);
    await expectPhoneFriendly();
    const result = page.locator("#preview-result");
    expect(await result.textContent()).to.include("Bob Nguyen (Design Team)");

    await page.locator("#l1-tag").fill("fr");
    await page.locator("#l1-title").fill("{{actor.name}} dans {{channel.name}}");
    await page.getByLabel("Recipient's locale").fill("fr-CA");
    await result.getByText("Bob Nguyen dans Design Team").waitFor();
    expect(await result.textContent()).to.match(/Locale used\s*fr/);
    await page.locator("#l1-title").fill("{{actor.nom}}");
    await result.getByText(/unknown variable "actor.nom"/).waitFor();
    await page.locator("#l1-title").fill("{{actor.name}} écrit");

    await page.getByRole("button", { name: "Save wording" }).click();
    await page.getByText("The wording is saved.").waitFor();
    expect(await page.evaluate("document.activeElement.id")).to.equal("notice");
    await expectAccessible(page);
    const stored = await gw.request("GET", `/v1/apps/${app.id}/templates/message.created`, {
      token: app.server_key,
    });
    expect(stored.body.template.locales.fr).to.deep.equal({ title: "{{actor.name}} écrit" });

    await page.getByRole("link", { name: "Back to built-in wording…" }).click();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Delete the app's wording" }).click();
    await page.getByText("message.created is back to the built-in wording.").waitFor();
  });
});
