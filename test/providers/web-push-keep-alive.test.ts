import { createECDH, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import type { PushMessage } from "../../src/providers/push-provider.js";
import { trustedCas } from "../../src/providers/trusted-cas.js";
import { WebPushSender } from "../../src/providers/webpush/webpush-sender.js";
import { generateVapidKeys } from "../../src/security/vapid-keys.js";
import { serverTlsOptions, simulatorTls } from "../../src/simulators/tls-material.js";

/**
 * A push service closes a connection idle for its keep-alive timeout, and says so in `Keep-Alive:
 * timeout=N`. A sender that reuses the connection just as it closes gets "socket hang up" and
 * retries the token for nothing: it must stop reusing an idle connection before that.
 */
describe("Web Push sender: a push service's keep-alive timeout", () => {
  let server: Server;
  let connections = 0;

  before(async () => {
    server = createServer(serverTlsOptions(), (request, response) => {
      request.resume();
      request.on("end", () => response.writeHead(201).end());
    });
    server.keepAliveTimeout = 2000;
    server.on("secureConnection", () => {
      connections++;
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
  });
  after(() => server.close());

  it("does not reuse a connection past the timeout the service announced (less a second)", async () => {
    const sender = new WebPushSender({ ca: trustedCas(simulatorTls.caFile), concurrency: 4 });
    const browser = createECDH("prime256v1");
    browser.generateKeys();
    const subscription = {
      endpoint: `https://localhost:${(server.address() as AddressInfo).port}/push/s1`,
      keys: {
        p256dh: browser.getPublicKey().toString("base64url"),
        auth: randomBytes(16).toString("base64url"),
      },
    };
    const credentials = { subject: "mailto:ops@acme.example", ...generateVapidKeys() };
    const message: PushMessage = {
      title: "Hi",
      body: "there",
      data: {},
      collapseId: "e1",
      expiresAt: new Date(Date.now() + 60_000),
      call: false,
    };
    try {
      expect(await Promise.all(sender.send(credentials, message, [subscription]))).to.deep.include({
        status: "sent",
        providerStatus: "201",
      });
      await sleep(200);
      await Promise.all(sender.send(credentials, message, [subscription]));
      expect(connections, "reused while fresh").to.equal(1);
      // The service closes at 2 s; the sender must have let go at 1 s.
      await sleep(1300);
      const [late] = await Promise.all(sender.send(credentials, message, [subscription]));
      expect(late).to.include({ status: "sent" });
      expect(connections, "a new connection past the announced timeout").to.equal(2);
    } finally {
      await sender.close();
    }
  });
});
