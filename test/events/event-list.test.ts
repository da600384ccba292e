import { expect } from "chai";
import { messageEvent, postEvent } from "../support/events.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";

type TestApp = Awaited<ReturnType<typeof createApp>>;

/** The same instant written with a UTC offset of +02:00. */
function atPlusTwoHours(iso: string): string {
  const shifted = new Date(Date.parse(iso) + 2 * 3_600_000).toISOString();
  return `${shifted.slice(0, -1)}+02:00`;
}

function later(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

describe("the events list's since and until (docs/api.md §8)", () => {
  let gw: TestGateway;
  let app: TestApp;
  /** Oldest first, with the received_at the gateway gave each. */
  const posted: { id: string; receivedAt: string }[] = [];

  before(async () => {
    gw = await startTestGateway({ PUSHGATE_ROLE: "api" });
    app = await createApp(gw);
    for (let i = 0; i < 4; i++) {
      const event = messageEvent();
      expect((await postEvent(gw, app, event)).status).to.equal(202);
      const status = await gw.request("GET", `/v1/apps/${app.id}/events/${event.id}`, {
        token: app.server_key,
      });
      posted.push({ id: event.id, receivedAt: status.body.received_at });
      // A second apart on the gateway's clock, so each time names one event.
      gw.clock.advance(1000);
    }
  });
  after(() => gw.close());

  async function listed(query: Record<string, string>): Promise<string[]> {
    const answer = await gw.request("GET", `/v1/apps/${app.id}/events?${new URLSearchParams(query)}`, {
      token: app.server_key,
    });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    return answer.body.events.map((event: { id: string }) => event.id);
  }

  const ids = (...indexes: number[]) => indexes.map((index) => posted[index]?.id);
  const receivedAt = (index: number) => posted[index]?.receivedAt as string;

  it("lists the events received at or after since, newest first", async () => {
    expect(await listed({ since: receivedAt(2) })).to.deep.equal(ids(3, 2));
    expect(await listed({ since: later(receivedAt(2), 1) })).to.deep.equal(ids(3));
    expect(await listed({ since: later(receivedAt(3), 1) })).to.deep.equal([]);
  });

  it("reads since with a UTC offset as the same instant", async () => {
    expect(await listed({ since: atPlusTwoHours(receivedAt(1)) })).to.deep.equal(ids(3, 2, 1));
  });

  it("takes since with until, status and a cursor", async () => {
    const window = { since: receivedAt(1), until: receivedAt(2), status: "queued" };
    expect(await listed(window)).to.deep.equal(ids(2, 1));
    const first = await gw.request(
      "GET",
      `/v1/apps/${app.id}/events?${new URLSearchParams({ since: receivedAt(1), limit: "2" })}`,
      {
        token: app.server_key,
      },
    );
    expect(first.body.events.map((event: { id: string }) => event.id)).to.deep.equal(ids(3, 2));
    const rest = await listed({ since: receivedAt(1), limit: "2", cursor: first.body.next_cursor });
    expect(rest, "the next page stops at since").to.deep.equal(ids(1));
  });

  it("takes the earliest and latest times the format can write", async () => {
    expect(await listed({ since: "0000-01-01T00:00:00Z" })).to.have.members(ids(0, 1, 2, 3));
    expect(await listed({ until: "9999-12-31T23:59:59-23:59" })).to.have.members(ids(0, 1, 2, 3));
    expect(await listed({ since: "9999-12-31T23:59:59-23:59" })).to.deep.equal([]);
  });

  it("answers 400 naming since for a since that is not an ISO 8601 date-time", async () => {
    for (const since of ["yesterday", "2026-01-01", "2026-02-30T00:00:00Z", "2026-01-01T00:00:00", ""]) {
      const answer = await gw.request("GET", `/v1/apps/${app.id}/events?since=${encodeURIComponent(since)}`, {
        token: app.server_key,
      });
      expect(answer.status, since).to.equal(400);
      expect(answer.headers.get("content-type"), since).to.match(/^application\/problem\+json/);
      expect(
        answer.body.errors.map((error: { path: string }) => error.path),
        since,
      ).to.deep.equal(["since"]);
    }
    const twice = await gw.request(
      "GET",
      `/v1/apps/${app.id}/events?since=${receivedAt(0)}&since=${receivedAt(1)}`,
      { token: app.server_key },
    );
    expect(twice.status, "since given twice").to.equal(400);
  });
});
