import { expect } from "chai";
import { createApp, startTestGateway, type TestGateway } from "./support/test-gateway.js";

function expectProblem(
  response: { status: number; headers: Headers; body: Record<string, unknown> },
  status: number,
) {
  expect(response.status).to.equal(status);
  expect(response.headers.get("content-type")).to.match(/^application\/problem\+json/);
  expect(response.body).to.include({ status });
  expect(response.body.type).to.be.a("string");
  expect(response.body.title).to.be.a("string");
  expect(response.body.detail).to.be.a("string");
}

describe("HTTP edge", () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ HTTP_BODY_LIMIT_BYTES: 2048 });
  });
  after(() => gw.close());

  it("answers /healthz and /readyz", async () => {
    expect((await gw.request("GET", "/healthz")).body).to.deep.equal({ status: "ok" });
    const ready = await gw.request("GET", "/readyz");
    expect(ready.status).to.equal(200);
    expect(ready.body.checks).to.deep.equal({ redis: "ok", database: "ok" });
  });

  it("400 with each validation error listed", async () => {
    const response = await gw.request("POST", "/v1/apps", {
      token: gw.adminToken,
      body: { name: "", mode: "carrier-pigeon", extra: 1 },
    });
    expectProblem(response, 400);
    const paths = (response.body.errors as { path: string }[]).map((error) => error.path);
    expect(paths).to.include.members(["name", "mode", "(body)"]);
  });

  it("400 for malformed JSON", async () => {
    const response = await gw.request("POST", "/v1/apps", {
      token: gw.adminToken,
      rawBody: '{"name": ',
      headers: { "content-type": "application/json" },
    });
    expectProblem(response, 400);
    expect(response.body.type).to.equal("urn:pushgate:problem:malformed-json");
  });

  it("401 without or with a wrong credential, with WWW-Authenticate", async () => {
    const missing = await gw.request("GET", "/v1/apps");
    expectProblem(missing, 401);
    expect(missing.headers.get("www-authenticate")).to.match(/^Bearer/);
    expectProblem(await gw.request("GET", "/v1/apps", { token: "not-the-admin-token" }), 401);
    expectProblem(await gw.request("GET", "/v1/apps/app_x", { token: "sk_unknown" }), 401);
  });

  it("404 for unknown routes and apps", async () => {
    expectProblem(await gw.request("GET", "/v2/nothing"), 404);
    expectProblem(await gw.request("GET", "/v1/apps/app_missing", { token: gw.adminToken }), 404);
  });

  it("405 with Allow for a known path and a wrong method", async () => {
    const response = await gw.request("PUT", "/v1/apps", { token: gw.adminToken });
    expectProblem(response, 405);
    expect(response.headers.get("allow")).to.equal("POST, GET, HEAD");
  });

  it("413 for a body over the limit", async () => {
    const response = await gw.request("POST", "/v1/apps", {
      token: gw.adminToken,
      body: { name: "x".repeat(4096) },
    });
    expectProblem(response, 413);
  });

  it("415 for a body that is not JSON", async () => {
    const response = await gw.request("POST", "/v1/apps", {
      token: gw.adminToken,
      rawBody: "name=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expectProblem(response, 415);
  });

  it("tags every answer with a request id, echoing a valid incoming one", async () => {
    const fresh = await gw.request("GET", "/healthz");
    expect(fresh.headers.get("x-request-id")).to.match(/^[0-9a-f-]{36}$/);
    const echoed = await gw.request("GET", "/healthz", { headers: { "x-request-id": "trace-123" } });
    expect(echoed.headers.get("x-request-id")).to.equal("trace-123");
  });

  it("sets security headers", async () => {
    const response = await gw.request("GET", "/healthz");
    expect(response.headers.get("x-content-type-options")).to.equal("nosniff");
    expect(response.headers.get("x-powered-by")).to.equal(null);
  });

  it("does not put credentials in the answers of reads", async () => {
    const app = await createApp(gw);
    const read = await gw.request("GET", `/v1/apps/${app.id}`, { token: gw.adminToken });
    expect(JSON.stringify(read.body)).to.not.include(app.server_key).and.not.include(app.event_secret);
  });
});
