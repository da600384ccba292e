import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import {
  checkWebhookTarget,
  isForbiddenAddress,
  UnsafeTargetError,
} from "../../src/webhooks/target-guard.js";
import { WebhookClient } from "../../src/webhooks/webhook-client.js";
import { createApp, startTestGateway } from "../support/test-gateway.js";

describe("webhook SSRF guard", () => {
  it("classifies loopback, private, link-local, CGNAT, multicast and reserved addresses", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "224.0.0.1",
      "240.0.0.1",
      "0.0.0.0",
      "::1",
      "fe80::1",
      "fc00::1",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "::127.0.0.1",
      "::ffff:0:127.0.0.1",
      "::ffff:0:a00:1",
    ]) {
      expect(isForbiddenAddress(address), address).to.equal(true);
    }
    for (const address of ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]) {
      expect(isForbiddenAddress(address), address).to.equal(false);
    }
  });

  it("refuses URLs naming or resolving to such an address at configuration", async () => {
    for (const url of [
      "http://127.0.0.1/hook",
      "http://[::1]/hook",
      "https://169.254.169.254/latest",
      "http://localhost:8080/x",
      "http://[::127.0.0.1]:8080/hook",
      "http://[::ffff:0:127.0.0.1]:8080/hook",
    ]) {
      let error: unknown;
      await checkWebhookTarget(url).catch((caught) => {
        error = caught;
      });
      expect(error, url).to.be.instanceOf(UnsafeTargetError);
    }
    let notHttp: unknown;
    await checkWebhookTarget("ftp://example.com/x").catch((caught) => {
      notHttp = caught;
    });
    expect(notHttp).to.be.instanceOf(UnsafeTargetError);
  });

  it("answers 400 for such a webhook URL unless ALLOW_PRIVATE_WEBHOOK_TARGETS is set", async () => {
    const gw = await startTestGateway({ ALLOW_PRIVATE_WEBHOOK_TARGETS: false });
    try {
      for (const url of ["http://127.0.0.1:9/hook", "http://localhost:9/hook", "http://10.0.0.5/hook"]) {
        const response = await gw.request("POST", "/v1/apps", {
          token: gw.adminToken,
          body: { name: "SSRF", mode: "webhook", webhook: { url } },
        });
        expect(response.status, url).to.equal(400);
        expect(response.body.errors[0].path).to.equal("webhook.url");
      }
      const app = await createApp(gw);
      const patched = await gw.request("PATCH", `/v1/apps/${app.id}`, {
        token: app.server_key,
        body: { mode: "webhook", webhook: { url: "http://192.168.0.10/hook" } },
      });
      expect(patched.status).to.equal(400);
    } finally {
      await gw.close();
    }
  });

  it("refuses at delivery too: the connection only goes to addresses it checked", async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.end();
    }).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const guarded = new WebhookClient({
        allowPrivateTargets: false,
        responseLimitBytes: 1024,
        userAgent: "pushgate/test",
      });
      const attempt = await guarded.call({
        url: `http://localhost:${port}/hook`,
        id: "msg_1",
        body: "{}",
        secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
        timeoutMs: 1000,
      });
      expect(attempt.decision.kind).to.equal("unreachable");
      expect(attempt.error).to.match(/loopback, private or reserved/);
      expect(hits).to.equal(0);

      // An IP literal never goes through the DNS lookup: stored while private targets were allowed, refused now.
      const literal = await guarded.call({
        url: `http://127.0.0.1:${port}/hook`,
        id: "msg_3",
        body: "{}",
        secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
        timeoutMs: 1000,
      });
      expect(literal.decision.kind).to.equal("unreachable");
      expect(literal.error).to.match(/loopback, private or reserved/);
      expect(hits).to.equal(0);

      const open = new WebhookClient({
        allowPrivateTargets: true,
        responseLimitBytes: 1024,
        userAgent: "pushgate/test",
      });
      const allowed = await open.call({
        url: `http://localhost:${port}/hook`,
        id: "msg_2",
        body: "{}",
        secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
        timeoutMs: 1000,
      });
      expect(allowed.decision.kind).to.equal("drop");
      expect(hits).to.equal(1);
    } finally {
      server.close();
    }
  });

  it("never follows redirects", async () => {
    const server = createServer((req, res) => {
      if (req.url === "/hook") {
        res.writeHead(302, { location: "/elsewhere" });
        res.end();
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"action":"send"}');
      }
    }).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const client = new WebhookClient({
        allowPrivateTargets: true,
        responseLimitBytes: 1024,
        userAgent: "pushgate/test",
      });
      const attempt = await client.call({
        url: `http://127.0.0.1:${port}/hook`,
        id: "msg_3",
        body: "{}",
        secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
        timeoutMs: 1000,
      });
      expect(attempt.statusCode).to.equal(302);
      expect(attempt.decision.kind).to.equal("retry");
    } finally {
      server.close();
    }
  });
});
