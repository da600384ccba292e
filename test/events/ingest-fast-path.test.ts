import { request } from "node:http";
import { expect } from "chai";
import { messageEvent, signedHeaders } from "../support/events.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** Posts `body` with a Content-Length (what the fast path takes) or chunked (what it leaves to the router). */
function post(url: string, headers: Record<string, string>, body: string, chunked: boolean): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: "POST",
        headers: chunked
          ? { ...headers, "transfer-encoding": "chunked" }
          : { ...headers, "content-length": String(Buffer.byteLength(body)) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }),
        );
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** An answer without what differs from one request to the next. */
function comparable({ status, headers, body }: Answer) {
  const { date, "x-request-id": requestId, connection, "keep-alive": keepAlive, ...rest } = headers;
  expect(requestId, "a request id").to.match(/^[\w.-]+$/);
  const { "content-length": _length, ...others } = rest;
  const withoutIds = JSON.parse(JSON.stringify(body).replace(/"evt_[^"]+"/g, '"<id>"'));
  return { status, headers: others, body: withoutIds };
}

describe("event ingest: the fast path answers as the router does (docs/performance.md)", () => {
  let gw: TestGateway;
  let app: Awaited<ReturnType<typeof createApp>>;
  before(async () => {
    gw = await startTestGateway({ PUSHGATE_ROLE: "api" });
    app = await createApp(gw);
  });
  after(() => gw.close());

  /** The same request both ways; a body of `make()`'s own for each, as each event must be new. */
  async function bothWays(make: () => { path?: string; headers: Record<string, string>; body: string }) {
    const way = async (chunked: boolean) => {
      const { path = `/v1/apps/${app.id}/events`, headers, body } = make();
      return comparable(await post(`${gw.url}${path}`, headers, body, chunked));
    };
    const fast = await way(false);
    expect(fast).to.deep.equal(await way(true));
    return fast;
  }

  const signed = (body: string) => ({ headers: signedHeaders(app.event_secret, body), body });

  it("accepts a new event, and counts an id seen before as a duplicate", async () => {
    const accepted = await bothWays(() => signed(JSON.stringify(messageEvent())));
    expect(accepted.status).to.equal(202);
    expect(accepted.headers).to.include({ "content-type": "application/json; charset=utf-8" });
    expect(accepted.headers).to.have.property("content-security-policy");

    const event = messageEvent();
    const first = signed(JSON.stringify(event));
    await post(`${gw.url}/v1/apps/${app.id}/events`, first.headers, first.body, false);
    const duplicate = await bothWays(() => signed(JSON.stringify(event)));
    expect(duplicate.status).to.equal(200);
    expect(duplicate.body).to.deep.equal({ id: "<id>", status: "duplicate" });
  });

  it("refuses alike: a wrong signature, a body that is not JSON, an event that breaks its schema, an unknown app", async () => {
    const refusals = [
      await bothWays(() => {
        const body = JSON.stringify(messageEvent());
        return { headers: signedHeaders(`whsec_${Buffer.alloc(24, 7).toString("base64")}`, body), body };
      }),
      await bothWays(() => signed("{not json")),
      await bothWays(() => signed(JSON.stringify(messageEvent({ type: "message.created", message: 42 })))),
      await bothWays(() => ({
        path: "/v1/apps/app_unknown/events",
        ...signed(JSON.stringify(messageEvent())),
      })),
    ];
    expect(refusals.map(({ status }) => status)).to.deep.equal([401, 400, 400, 404]);
    for (const refusal of refusals)
      expect(refusal.headers).to.include({ "content-type": "application/problem+json; charset=utf-8" });
  });

  it("counts each request once in the events metric, whichever way it went", async () => {
    const count = async () => {
      const text = await (await fetch(`${gw.url}/metrics`)).text();
      return [...text.matchAll(/^pushgate_events_total\{[^}]*\} (\d+)/gm)].reduce(
        (sum, [, value]) => sum + Number(value),
        0,
      );
    };
    const before = await count();
    await bothWays(() => signed(JSON.stringify(messageEvent())));
    await bothWays(() => signed("{not json"));
    expect((await count()) - before).to.equal(4);
  });
});
