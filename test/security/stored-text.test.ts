import { expect } from "chai";
import { pino } from "pino";
import { signIn } from "../devices/client.js";
import { signInToConsole } from "../support/console-session.js";
import { messageEvent, postEvent } from "../support/events.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";

function cursorOf(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

// Found by test/fuzz on PostgreSQL, which refuses NUL in text and JSON and dates out of its range:
// each answered 500 with the query in the log. On SQLite they were looked up, or stored.
describe("security: what no id, cursor or stored text can be is refused before the database sees it", () => {
  let gw: TestGateway;
  let app: Awaited<ReturnType<typeof createApp>>;
  const errors: string[] = [];

  before(async () => {
    const logger = pino({ level: "error" }, { write: (line: string) => void errors.push(line) });
    gw = await startTestGateway({}, logger);
    app = await createApp(gw);
  });
  after(() => gw.close());
  beforeEach(() => {
    errors.length = 0;
  });

  it("answers 400 naming the segment for a control character in an app or event id of a path", async () => {
    const cases: [string, string, string | undefined, string][] = [
      ["POST", "/v1/apps/%00/events", undefined, "app_id"],
      ["GET", "/v1/apps/app%00", gw.adminToken, "app_id"],
      ["GET", `/v1/apps/${app.id}/events/evt%00`, app.server_key, "event_id"],
      ["POST", `/v1/apps/${app.id}/events/evt%1B/replay`, app.server_key, "event_id"],
      ["GET", `/v1/apps/${app.id}/users/u%7F/notification-settings`, app.server_key, "user_id"],
    ];
    for (const [method, path, token, segment] of cases) {
      const response = await gw.request(method, path, { token });
      expect(response.status, `${method} ${path}`).to.equal(400);
      expect(response.body.errors, `${method} ${path}`).to.deep.include({
        path: segment,
        message: "must not contain control characters",
      });
    }
    expect(errors).to.deep.equal([]);
  });

  it("answers 400 naming the segment for an id of a path longer than any id may be (256)", async () => {
    const longest = "e".repeat(256);
    const tooLong = `${longest}e`;
    for (const path of [
      `/v1/apps/${app.id}/events/${tooLong}`,
      `/v1/apps/${app.id}/events/${tooLong}/deliveries`,
      `/v1/apps/${app.id}/users/${tooLong}/notification-settings`,
    ]) {
      const response = await gw.request("GET", path, { token: app.server_key });
      expect(response.status, path).to.equal(400);
      expect(response.body.errors, path).to.deep.include({
        path: path.includes("/users/") ? "user_id" : "event_id",
        message: "must be at most 256 characters",
      });
    }
    const longestKnown = await gw.request("GET", `/v1/apps/${app.id}/events/${longest}`, {
      token: app.server_key,
    });
    expect(longestKnown.status, "the longest id is looked up").to.equal(404);
  });

  it("answers 400 naming the field for a NUL or an unpaired surrogate in any string of a JSON body", async () => {
    const session = await signIn(gw, app, "u-text");
    const cases: [string, string, Record<string, string>, unknown, string][] = [
      [
        "POST",
        "/v1/users/@me/devices",
        { authorization: `Bearer ${session.token}` },
        { provider: "gcm", token: "t\u0000" },
        "token",
      ],
      [
        "POST",
        "/v1/devices/unregister",
        { "x-api-key": app.api_key },
        { provider: "gcm", token: "t\u0000" },
        "token",
      ],
      [
        "PUT",
        "/v1/users/@me/notification-settings",
        { authorization: `Bearer ${session.token}` },
        { modules: [{ module: "chat", role_filter: { only: ["admin", "\u0000"] } }] },
        "modules.0.role_filter.only.1",
      ],
      [
        "PUT",
        `/v1/apps/${app.id}/users/u1/notification-settings`,
        { authorization: `Bearer ${app.server_key}` },
        { modules: [{ module: "social", role_filter: { not: ["\ud800"] } }] },
        "modules.0.role_filter.not.0",
      ],
      [
        "PATCH",
        `/v1/apps/${app.id}`,
        { authorization: `Bearer ${app.server_key}` },
        { name: "Acme\u0000" },
        "name",
      ],
      [
        "PATCH",
        `/v1/apps/${app.id}`,
        { authorization: `Bearer ${app.server_key}` },
        { "\u0000": 1 },
        "\u0000",
      ],
    ];
    for (const [method, path, headers, body, field] of cases) {
      const response = await gw.request(method, path, { headers, body });
      expect(response.status, `${method} ${path} ${field}`).to.equal(400);
      expect(response.body.errors).to.deep.equal([
        { path: field, message: "must not contain NUL (U+0000) or an unpaired surrogate" },
      ]);
    }
    const paired = await gw.request("PUT", "/v1/users/@me/notification-settings", {
      token: session.token,
      body: { modules: [{ module: "chat", role_filter: { only: ["\ud83d\udee1 guard"] } }] },
    });
    expect(paired.status, "a surrogate pair is text like any other").to.equal(200);
    expect(errors).to.deep.equal([]);
  });

  it("answers 400 in the console for a NUL or control character in an address, query or form, and for a time out of range", async () => {
    const { cookie, csrf } = await signInToConsole(gw.url, gw.adminToken);
    const pages = [
      `/console/apps/${app.id}/events/evt%00`,
      `/console/users?app=${app.id}&user=u%00`,
      `/console/users?app=${app.id}&user=u1&after=%00`,
      `/console/events?app=${app.id}&before_id=evt_1&before_at=1e300`,
      `/console/events?app=${app.id}&since=-100000-01-01T00:00`,
      `/console/events?app=${app.id}&until=99999-01-01T00:00`,
    ];
    for (const page of pages) {
      const response = await fetch(`${gw.url}${page}`, { headers: { cookie } });
      expect(response.status, page).to.equal(400);
    }
    const created = await fetch(`${gw.url}/console/apps`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ _csrf: csrf, name: "Acme\u0000Chat" }),
      redirect: "manual",
    });
    expect(created.status).to.equal(400);
    expect(await created.text()).to.include("name holds a NUL");
    expect(errors).to.deep.equal([]);
  });

  it("answers 400 for a list cursor it could not have given, and follows the ones it gave", async () => {
    const forged = [[1e300, "evt_1"], [-1, "evt_1"], [1.5, "evt_1"], [0, "evt_\u0000"], [0, ""], "evt_1"];
    for (const cursor of forged) {
      const response = await gw.request("GET", `/v1/apps/${app.id}/events?cursor=${cursorOf(cursor)}`, {
        token: app.server_key,
      });
      expect(response.status, JSON.stringify(cursor)).to.equal(400);
      expect(response.body.errors).to.deep.equal([{ path: "cursor", message: "unknown cursor" }]);
    }
    expect(errors).to.deep.equal([]);

    const delivered = messageEvent();
    expect((await postEvent(gw, app, delivered)).status).to.equal(202);
    for (const cursor of [["t\u0000"], ["t\u001b"], ["a token"], [""], [7]]) {
      const response = await gw.request(
        "GET",
        `/v1/apps/${app.id}/events/${delivered.id}/deliveries?cursor=${cursorOf(cursor)}`,
        { token: app.server_key },
      );
      expect(response.status, JSON.stringify(cursor)).to.equal(400);
      expect(response.body.errors).to.deep.equal([{ path: "cursor", message: "unknown cursor" }]);
    }
    expect(errors).to.deep.equal([]);

    const events = [messageEvent(), messageEvent()];
    for (const event of events) expect((await postEvent(gw, app, event)).status).to.equal(202);
    const list = (query: string) =>
      gw.request("GET", `/v1/apps/${app.id}/events?limit=1${query}`, { token: app.server_key });
    const first = await list("");
    const second = await list(`&cursor=${first.body.next_cursor}`);
    expect(second.status).to.equal(200);
    const seen = [...first.body.events, ...second.body.events].map((event: { id: string }) => event.id);
    expect(seen.sort()).to.deep.equal(events.map((event) => event.id).sort());
  });
});
