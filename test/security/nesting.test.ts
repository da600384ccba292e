import { expect } from "chai";
import { maxJsonDepth, nestsDeeperThan } from "../../src/domain/json/json-bounds.js";
import { messageEvent, signedHeaders } from "../support/events.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";

/** `[[[…]]]`, `levels` deep, built without recursion. */
function nested(levels: number): unknown {
  let value: unknown = [];
  for (let level = 1; level < levels; level++) value = [value];
  return value;
}

/** The JSON text of an event with a field nested `levels` deep: JSON.stringify itself would overflow. */
function deepEventText(levels: number): string {
  const text = JSON.stringify(messageEvent());
  return `${text.slice(0, -1)},"extra":${"[".repeat(levels)}${"]".repeat(levels)}}`;
}

describe("security: deeply nested JSON", () => {
  let gw: TestGateway;
  let app: Awaited<ReturnType<typeof createApp>>;

  before(async () => {
    gw = await startTestGateway();
    app = await createApp(gw);
  });
  after(() => gw.close());

  it("measures nesting without recursion, at the bound and past it", () => {
    expect(nestsDeeperThan(nested(maxJsonDepth))).to.equal(false);
    expect(nestsDeeperThan(nested(maxJsonDepth + 1))).to.equal(true);
    expect(nestsDeeperThan(nested(100_000))).to.equal(true);
    expect(nestsDeeperThan({ a: 1, b: "x", c: null })).to.equal(false);
  });

  it("refuses a signed event nested 10,000 levels deep with a 400 naming the event", async () => {
    const body = deepEventText(10_000);
    const response = await gw.request("POST", `/v1/apps/${app.id}/events`, {
      rawBody: body,
      headers: signedHeaders(app.event_secret, body),
    });
    expect(response.status).to.equal(400);
    expect(response.body.errors).to.deep.equal([
      { path: "(event)", message: `nests arrays and objects deeper than ${maxJsonDepth} levels` },
    ]);
  });

  it("in a batch, refuses the deep event alone and queues the good one beside it", async () => {
    const body = `{"events":[${JSON.stringify(messageEvent())},${deepEventText(10_000)}]}`;
    const response = await gw.request("POST", `/v1/apps/${app.id}/events/batch`, {
      rawBody: body,
      headers: signedHeaders(app.event_secret, body),
    });
    expect(response.status).to.equal(202);
    expect(response.body.results.map((result: { status: string }) => result.status)).to.deep.equal([
      "queued",
      "invalid",
    ]);
  });

  it("refuses any other JSON body nested too deep with a 400", async () => {
    const response = await gw.request("PATCH", `/v1/apps/${app.id}`, {
      token: gw.adminToken,
      rawBody: `{"name":"x","webhook":${"[".repeat(10_000)}${"]".repeat(10_000)}}`,
      headers: { "content-type": "application/json" },
    });
    expect(response.status).to.equal(400);
    expect(response.body.type).to.equal("urn:pushgate:problem:too-deep");
  });
});
