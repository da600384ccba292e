import { createECDH, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, request, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import { ExpoApi } from "../../src/providers/expo/expo-api.js";
import { EndpointAgent } from "../../src/providers/fcm/endpoint-agent.js";
import type { PushMessage } from "../../src/providers/push-provider.js";
import { trustedContext } from "../../src/providers/trusted-context.js";
import { WebPushSender } from "../../src/providers/webpush/webpush-sender.js";
import { generateVapidKeys } from "../../src/security/vapid-keys.js";
import { serverTlsOptions, simulatorTls } from "../../src/simulators/tls-material.js";

/**
 * A provider closes a connection idle for its keep-alive timeout, and says so in `Keep-Alive:
 * timeout=N`. A sender that reuses the connection just as it closes gets "socket hang up" and
 * retries for nothing: each provider's pool must stop reusing an idle connection before that.
 */
describe("provider connection pools: a service's keep-alive timeout", () => {
  let server: Server;
  let connections = 0;
  let origin: string;
  const secureContext = trustedContext(simulatorTls.caFile);

  before(async () => {
    server = createServer(serverTlsOptions(), (incoming, response) => {
      incoming.resume();
      incoming.on("end", () => response.writeHead(201, { "content-type": "application/json" }).end("{}"));
    });
    server.keepAliveTimeout = 2000;
    server.on("secureConnection", () => {
      connections++;
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    connections = 0;
  });
  after(() => server.close());

  /** Sends twice while fresh (one connection), then once after 1.5 s: the service closes at 2 s, the pool must have let go at 1 s. */
  async function expectNewConnectionPastTimeout(send: () => Promise<void>): Promise<void> {
    await send();
    await sleep(200);
    await send();
    expect(connections, "reused while fresh").to.equal(1);
    await sleep(1300);
    await send();
    expect(connections, "a new connection past the announced timeout").to.equal(2);
  }

  it("Web Push", async () => {
    const sender = new WebPushSender({ secureContext, concurrency: 4 });
    const browser = createECDH("prime256v1");
    browser.generateKeys();
    const subscription = {
      endpoint: `${origin}/push/s1`,
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
      await expectNewConnectionPastTimeout(async () => {
        const [outcome] = await Promise.all(sender.send(credentials, message, [subscription]));
        expect(outcome).to.include({ status: "sent", providerStatus: "201" });
      });
    } finally {
      await sender.close();
    }
  });

  it("Expo", async () => {
    const api = new ExpoApi({ endpoint: origin, secureContext });
    try {
      await expectNewConnectionPastTimeout(async () => {
        expect((await api.post("push/send", [])).statusCode).to.equal(201);
      });
    } finally {
      api.close();
    }
  });

  it("FCM (the agent firebase-admin sends through)", async () => {
    const agent = new EndpointAgent(new URL(origin), secureContext);
    try {
      await expectNewConnectionPastTimeout(async () => {
        const answer = request("https://fcm.googleapis.com/v1/projects/p/messages:send", {
          method: "POST",
          agent,
        });
        answer.end("{}");
        const [response] = await once(answer, "response");
        response.resume();
        await once(response, "end");
        expect(response.statusCode).to.equal(201);
      });
    } finally {
      agent.destroy();
    }
  });
});
