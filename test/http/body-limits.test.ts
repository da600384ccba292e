import { gzipSync } from "node:zlib";
import { expect } from "chai";
import { type SignedIn, signIn, type TestApp } from "../devices/client.js";
import { openApiPath, registeredRoutes } from "../operator/registered-routes.js";
import { messageEvent, signedHeaders } from "../support/events.js";
import { createApp, startTestGateway, type TestGateway, type TestResponse } from "../support/test-gateway.js";

const limit = 1024 * 1024;

/** `{"pad":"xx…"}`: valid JSON of exactly `bytes` bytes. */
function paddedJson(bytes: number): string {
  const empty = JSON.stringify({ pad: "" });
  return JSON.stringify({ pad: "x".repeat(bytes - empty.length) });
}

/** A live event whose JSON is exactly `bytes` bytes: the padding is a field Pushgate keeps without reading. */
function eventOfSize(bytes: number): string {
  const event = messageEvent({ preview: "" });
  const empty = JSON.stringify(event);
  return JSON.stringify({ ...event, preview: "x".repeat(bytes - empty.length) });
}

/** The bytes as a stream: sent chunked, without a content-length, so only the reading counts them. */
function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = Buffer.from(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + 64 * 1024));
      offset += 64 * 1024;
    },
  });
}

interface Caller {
  app: TestApp;
  session: SignedIn;
  adminToken: string;
}

/** The headers that get a request past the route's credential check, per its OpenAPI security. */
function credentialsFor(security: Record<string, unknown>[], caller: Caller, body: string) {
  const names = security.flatMap((requirement) => Object.keys(requirement));
  if (names.includes("webhookSignature")) return signedHeaders(caller.app.event_secret, body);
  const scheme = names[0];
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (scheme === "adminToken") headers.authorization = `Bearer ${caller.adminToken}`;
  else if (scheme === "serverKey") headers.authorization = `Bearer ${caller.app.server_key}`;
  else if (scheme === "sessionToken") headers.authorization = `Bearer ${caller.session.token}`;
  else if (scheme === "apiKey") headers["x-api-key"] = caller.app.api_key;
  else throw new Error(`no credential for the security scheme ${scheme}`);
  return headers;
}

function concretePath(template: string, app: TestApp): string {
  return template
    .replace("{app_id}", app.id)
    .replace("{channel_id}", "c1")
    .replace("{user_id}", "u1")
    .replace("{event_id}", "evt_none")
    .replace("{kind}", "event-secret")
    .replace("{event_type}", "message.created");
}

async function send(
  gw: TestGateway,
  method: string,
  pathname: string,
  headers: Record<string, string>,
  body: string | Buffer | ReadableStream<Uint8Array>,
): Promise<TestResponse> {
  const response = await fetch(gw.url + pathname, {
    method: method.toUpperCase(),
    headers,
    body,
    duplex: "half",
  } as RequestInit);
  const text = await response.text();
  const json = /json/.test(response.headers.get("content-type") ?? "");
  return { status: response.status, headers: response.headers, body: json ? JSON.parse(text) : text };
}

function expectTooLarge(response: TestResponse, label: string): void {
  expect(response.status, label).to.equal(413);
  expect(response.headers.get("content-type"), label).to.match(/^application\/problem\+json/);
  expect(response.body, label).to.include({ status: 413, type: "urn:pushgate:problem:body-too-large" });
}

describe("body limits: every route that reads a body answers 413 past HTTP_BODY_LIMIT_BYTES (1 MiB)", function () {
  this.timeout(120_000);
  let gw: TestGateway;
  let caller: Caller;
  let bodyRoutes: { method: string; path: string; security: Record<string, unknown>[] }[];

  before(async () => {
    gw = await startTestGateway({
      RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE: 100_000,
      RATE_LIMIT_DEVICE_WRITES_PER_MINUTE: 100_000,
      RATE_LIMIT_UNREGISTER_PER_ADDRESS_PER_MINUTE: 100_000,
    });
    const app = await createApp(gw, { require_auth_token: false });
    caller = { app, session: await signIn(gw, app, "u1"), adminToken: gw.adminToken };
    const document = (await gw.request("GET", "/openapi.json")).body;
    const served = registeredRoutes(gw.gateway.httpApp as NonNullable<typeof gw.gateway.httpApp>);
    bodyRoutes = served
      .map(({ method, path }) => ({ method, path: openApiPath(path) }))
      .filter(({ method, path }) => document.paths[path]?.[method]?.requestBody)
      .map(({ method, path }) => ({ method, path, security: document.paths[path][method].security ?? [] }));
  });
  after(() => gw.close());

  it("finds the body routes among those the router serves", () => {
    expect(bodyRoutes.map(({ method, path }) => `${method.toUpperCase()} ${path}`)).to.include.members([
      "POST /v1/apps",
      "PATCH /v1/apps/{app_id}",
      "POST /v1/apps/{app_id}/events",
      "POST /v1/apps/{app_id}/events/batch",
      "POST /v1/apps/{app_id}/events/replay",
      "PUT /v1/apps/{app_id}/channels/{channel_id}/members",
      "POST /v1/sessions",
      "POST /v1/users/@me/devices",
      "DELETE /v1/users/@me/devices",
      "PUT /v1/users/@me/devices/sync",
      "POST /v1/devices/unregister",
      "PUT /v1/users/@me/notification-settings",
      "PUT /v1/users/@me/channels/{channel_id}/notification-settings",
      "PUT /v1/apps/{app_id}/users/{user_id}/notification-settings",
      "PUT /v1/apps/{app_id}/users/{user_id}/channels/{channel_id}/notification-settings",
    ]);
  });

  it("answers 413 problem+json to one byte over the limit, with or without a content-length", async () => {
    const over = paddedJson(limit + 1);
    for (const { method, path, security } of bodyRoutes) {
      const label = `${method.toUpperCase()} ${path}`;
      const headers = credentialsFor(security, caller, over);
      const pathname = concretePath(path, caller.app);
      expectTooLarge(await send(gw, method, pathname, headers, over), label);
      expectTooLarge(await send(gw, method, pathname, headers, chunked(over)), `${label}, chunked`);
    }
  });

  it("counts a gzip body as it inflates: 413 one byte past the limit, however small it travels", async () => {
    const over = paddedJson(limit + 1);
    const compressed = gzipSync(over);
    expect(compressed.length).to.be.below(limit / 100);
    for (const { method, path, security } of bodyRoutes) {
      const headers = { ...credentialsFor(security, caller, over), "content-encoding": "gzip" };
      const answer = await send(gw, method, concretePath(path, caller.app), headers, compressed);
      expectTooLarge(answer, `${method.toUpperCase()} ${path}`);
    }
  });

  it("reads a body of exactly the limit: whatever it answers, not 413", async () => {
    const atLimit = paddedJson(limit);
    for (const { method, path, security } of bodyRoutes) {
      const label = `${method.toUpperCase()} ${path}`;
      const headers = credentialsFor(security, caller, atLimit);
      const response = await send(gw, method, concretePath(path, caller.app), headers, atLimit);
      expect(response.status, label).to.not.equal(413);
      expect(response.status, label).to.be.below(500);
    }
  });

  it("accepts a signed event, and a batch, of exactly 1 MiB", async () => {
    const event = eventOfSize(limit);
    expect(Buffer.byteLength(event)).to.equal(limit);
    const single = await send(
      gw,
      "POST",
      `/v1/apps/${caller.app.id}/events`,
      signedHeaders(caller.app.event_secret, event),
      event,
    );
    expect(single.status, JSON.stringify(single.body)).to.equal(202);
    expect(single.body).to.deep.equal({ id: JSON.parse(event).id, status: "queued" });

    const inner = eventOfSize(limit - JSON.stringify({ events: [] }).length);
    const batch = JSON.stringify({ events: [JSON.parse(inner)] });
    expect(Buffer.byteLength(batch)).to.equal(limit);
    const batched = await send(
      gw,
      "POST",
      `/v1/apps/${caller.app.id}/events/batch`,
      signedHeaders(caller.app.event_secret, batch),
      batch,
    );
    expect(batched.status, JSON.stringify(batched.body)).to.equal(202);
    expect(batched.body.results).to.deep.equal([{ id: JSON.parse(inner).id, status: "queued" }]);
  });

  it("answers 413 to a console form one byte over the limit", async () => {
    const form = `_csrf=x&token=${"x".repeat(limit + 1 - "_csrf=x&token=".length)}`;
    const response = await send(
      gw,
      "POST",
      "/console/sign-in",
      { "content-type": "application/x-www-form-urlencoded" },
      form,
    );
    expect(response.status).to.equal(413);
  });
});
