import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import type { EventToReserve } from "../../src/domain/events/event-repository.js";
import type { LiveEvent } from "../../src/domain/events/live-event.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";
import { launchChromium, requireChromium, signInToConsole, watchPolicyViolations } from "./browser.js";

const eventCount = 10_000;
const perReserve = 500;
/** Old enough that the 2,000 newest events, all the list once read to filter, do not hold it. */
const needleAt = 500;

function haystackEvent(index: number): LiveEvent {
  return {
    id: `evt_${String(index).padStart(5, "0")}`,
    type: "message.created",
    occurred_at: new Date(Date.UTC(2026, 10, 1, 0, 0, index)).toISOString(),
    actor: { id: `u_${index % 100}` },
    channel: { id: `c_${index % 20}`, member_ids: [`u_${index % 100}`, `u_${(index + 1) % 100}`] },
    message: { id: `m_${index}`, type: "text", text: "hello" },
  } as LiveEvent;
}

const needle = {
  id: "evt_needle",
  type: "notification.custom",
  occurred_at: "2026-11-01T00:08:20Z",
  recipient_ids: ["needle_user"],
  notification: { title: "Hi", body: "there" },
} as LiveEvent;

/** The list searches the store: one page load finds one event among 10,000 by id, by user and by type. */
describe("operator console: searching 10,000 events", function () {
  this.timeout(120_000);
  let gw: TestGateway;
  let browser: Browser;
  let page: Page;
  let violations: string[];
  let appId: string;

  before(async function () {
    requireChromium(this);
    // The API role alone: no worker takes the reserved events, which stay queued as written.
    gw = await startTestGateway({ PUSHGATE_ROLE: "api" });
    appId = (await createApp(gw, { name: "Busy app" })).id;
    const received = (index: number) => new Date(Date.UTC(2026, 10, 1, 0, 0, index));
    for (let start = 0; start < eventCount; start += perReserve) {
      const batch: EventToReserve[] = [];
      for (let index = start; index < start + perReserve; index++)
        batch.push({
          event: index === needleAt ? needle : haystackEvent(index),
          mode: "direct",
          receivedAt: received(index),
        });
      await gw.gateway.store.events.reserve(appId, batch);
    }
    browser = await launchChromium();
    page = await browser.newPage();
    violations = watchPolicyViolations(page);
    await signInToConsole(page, gw.url, gw.adminToken);
  });

  after(async () => {
    await browser?.close();
    await gw?.close();
    expect(violations ?? [], "no CSP refusal or script error").to.deep.equal([]);
  });

  async function listFor(query: Record<string, string>) {
    await page.goto(`${gw.url}/console/events?${new URLSearchParams({ app: appId, ...query })}`);
    return {
      count: await page.locator("#match-count").textContent(),
      ids: await page.locator("main tbody td:nth-child(2)").allTextContents(),
    };
  }

  it("bounds the total it counts", async () => {
    const { count, ids } = await listFor({});
    expect(count).to.equal("10,000+ events match.");
    expect(ids).to.have.length(50);
  });

  for (const [by, query] of [
    ["id", { id: "evt_needle" }],
    ["user", { user: "needle_user" }],
    ["type", { type: "notification.custom" }],
  ] as const) {
    it(`finds the one event by ${by} in one page load`, async () => {
      expect(await listFor(query)).to.deep.equal({ count: "1 event matches.", ids: ["evt_needle"] });
    });
  }

  it("finds a user's events among thousands, with their total, a page at a time", async () => {
    const first = await listFor({ user: "u_7" });
    // u_7 is the actor of every 100th event and a member of those before them.
    expect(first.count).to.equal("200 events match.");
    expect(first.ids).to.have.length(50);
    await page.getByRole("link", { name: "Older events" }).click();
    const second = await page.locator("main tbody td:nth-child(2)").allTextContents();
    expect(second).to.have.length(50);
    expect(second.filter((id) => first.ids.includes(id))).to.deep.equal([]);
  });
});
