import { expect } from "chai";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";

describe("the status_callback app setting", () => {
  let gw: TestGateway;

  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.close());

  const url = "https://hooks.example.com/pushgate/status";

  it("is set at creation, shown, changed and removed by PATCH", async () => {
    const app = await createApp(gw, {
      status_callback: { url, events: ["device.token_removed", "event.failed"] },
    });
    expect(app.status_callback).to.deep.equal({ url, events: ["device.token_removed", "event.failed"] });

    const changed = await gw.request("PATCH", `/v1/apps/${app.id}`, {
      token: app.server_key,
      body: { status_callback: { url: `${url}/v2`, events: ["webhook.disabled"] } },
    });
    expect(changed.status).to.equal(200);
    expect(changed.body.status_callback).to.deep.equal({ url: `${url}/v2`, events: ["webhook.disabled"] });

    const renamed = await gw.request("PATCH", `/v1/apps/${app.id}`, {
      token: app.server_key,
      body: { name: "Renamed" },
    });
    expect(renamed.body.status_callback, "a PATCH that leaves it out keeps it").to.deep.equal(
      changed.body.status_callback,
    );

    const removed = await gw.request("PATCH", `/v1/apps/${app.id}`, {
      token: app.server_key,
      body: { status_callback: null },
    });
    expect(removed.body.status_callback).to.equal(null);
    const read = await gw.request("GET", `/v1/apps/${app.id}`, { token: app.server_key });
    expect(read.body.status_callback).to.equal(null);
  });

  it("is null for an app created without one", async () => {
    expect((await createApp(gw)).status_callback).to.equal(null);
  });

  for (const [what, events] of [
    ["an unknown callback type", ["device.token_removed", "event.started"]],
    ["no callback type", []],
    ["a callback type twice", ["event.failed", "event.failed"]],
  ] as const) {
    it(`answers 400 at status_callback.events for ${what}`, async () => {
      const response = await gw.request("POST", "/v1/apps", {
        token: gw.adminToken,
        body: { name: "Bad", status_callback: { url, events } },
      });
      expect(response.status).to.equal(400);
      expect(response.headers.get("content-type")).to.match(/^application\/problem\+json/);
      expect(response.body.errors[0].path).to.match(/^status_callback\.events/);
    });
  }

  it("answers 400 at status_callback.url for a URL that is not http(s) or carries credentials", async () => {
    const app = await createApp(gw);
    for (const bad of ["ftp://hooks.example.com/x", "https://user:pw@hooks.example.com/x", "not a url"]) {
      const response = await gw.request("PATCH", `/v1/apps/${app.id}`, {
        token: app.server_key,
        body: { status_callback: { url: bad, events: ["event.failed"] } },
      });
      expect(response.status, bad).to.equal(400);
      expect(response.body.errors[0].path, bad).to.equal("status_callback.url");
    }
  });

  it("answers 400 at status_callback.url for a target the webhook rules refuse", async () => {
    const guarded = await startTestGateway({ ALLOW_PRIVATE_WEBHOOK_TARGETS: false });
    try {
      for (const target of [
        "http://169.254.169.254/",
        "http://127.0.0.1:9/hook",
        "http://localhost:9/hook",
      ]) {
        const created = await guarded.request("POST", "/v1/apps", {
          token: guarded.adminToken,
          body: { name: "SSRF", status_callback: { url: target, events: ["event.failed"] } },
        });
        expect(created.status, target).to.equal(400);
        expect(created.body.errors[0].path, target).to.equal("status_callback.url");
      }
      const app = await createApp(guarded);
      const patched = await guarded.request("PATCH", `/v1/apps/${app.id}`, {
        token: app.server_key,
        body: { status_callback: { url: "http://10.0.0.5/hook", events: ["event.completed"] } },
      });
      expect(patched.status).to.equal(400);
      expect(patched.body.errors[0].path).to.equal("status_callback.url");
    } finally {
      await guarded.close();
    }
  });
});
