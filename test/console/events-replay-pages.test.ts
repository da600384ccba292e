import { expect } from "chai";
import type { LiveEvent } from "../../src/domain/events/live-event.js";
import { consolePageText, signInToConsole } from "../support/console-session.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";

/** The bulk replay's confirmation and its bounds, without a browser. */
describe("operator console: replaying the matching events", () => {
  let gw: TestGateway;
  let appId: string;
  let serverKey: string;
  let otherAppId: string;
  const bulkMax = 2;

  before(async () => {
    // No worker: the events stay as written, and a replay stays queued.
    gw = await startTestGateway({ PUSHGATE_ROLE: "api", EVENT_REPLAY_BULK_MAX: bulkMax });
    ({ id: appId, server_key: serverKey } = await createApp(gw, { name: "Bulk app" }));
    otherAppId = (await createApp(gw, { name: "Other app" })).id;
    const store = gw.gateway.store.events;
    const ids = ["bulk_1", "bulk_2", "bulk_3", "bulk_in_flight"];
    await store.reserve(
      appId,
      ids.map((id, index) => ({
        event: {
          id,
          type: "channel.created",
          occurred_at: "2026-11-01T00:00:00Z",
          channel: { id: "c1" },
        } as LiveEvent,
        mode: "direct",
        receivedAt: new Date(Date.UTC(2026, 10, 1, 0, index)),
      })),
    );
    for (const id of ids.slice(0, 3)) await store.markFailed(appId, id, 0, "boom");
  });
  after(() => gw.close());

  async function post(cookie: string, csrf: string, fields: Record<string, string>) {
    return fetch(`${gw.url}/console/events/replay`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ _csrf: csrf, ...fields }),
      redirect: "manual",
    });
  }

  it("says when more finished events match than one replay takes, and replays the oldest of them", async () => {
    const { cookie, csrf } = await signInToConsole(gw.url, gw.adminToken);
    const confirm = await consolePageText(gw.url, cookie, `/events/replay?app=${appId}&type=channel.created`);
    expect(confirm)
      .to.include("Replay 2 events?")
      .and.include("More than 2 finished events match: the oldest 2 are queued again");

    const replayed = await post(cookie, csrf, { app: appId, type: "channel.created" });
    expect(replayed.status).to.equal(303);
    expect(replayed.headers.get("location")).to.include("replayed=2").and.include("type=channel.created");
    const runs = await Promise.all(
      ["bulk_1", "bulk_2", "bulk_3", "bulk_in_flight"].map(
        async (id) => (await gw.gateway.store.events.find(appId, id))?.run,
      ),
    );
    expect(runs, "the two oldest finished ones; never the one in flight").to.deep.equal([1, 1, 0, 0]);
  });

  it("says when nothing finished matches", async () => {
    const { cookie } = await signInToConsole(gw.url, gw.adminToken);
    expect(await consolePageText(gw.url, cookie, `/events/replay?app=${appId}&id=bulk_in_flight`))
      .to.include("Nothing to replay")
      .and.include("No finished event matches these filters.");
  });

  it("refuses an app the session may not see, or that is not there, rather than take another", async () => {
    const scoped = await signInToConsole(gw.url, serverKey);
    const admin = await signInToConsole(gw.url, gw.adminToken);
    for (const [session, app] of [
      [scoped, otherAppId],
      [admin, "app_missing"],
    ] as const) {
      const page = await fetch(`${gw.url}/console/events/replay?app=${app}`, {
        headers: { cookie: session.cookie },
      });
      expect(page.status).to.equal(404);
      expect((await post(session.cookie, session.csrf, { app })).status).to.equal(404);
    }
  });
});
