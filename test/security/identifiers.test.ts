import { expect } from "chai";
import { presentApp } from "../../src/http/presenters/app.js";
import { testWebhook } from "../pipeline/fakes/app.js";
import { messageEvent, postEvent } from "../support/events.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";

describe("security: what a client names", () => {
  let gw: TestGateway;
  let app: Awaited<ReturnType<typeof createApp>>;

  before(async () => {
    gw = await startTestGateway();
    app = await createApp(gw);
  });
  after(() => gw.close());

  it("bounds channel ids in the members route like every other id, and refuses control characters", async () => {
    for (const channelId of ["c".repeat(5000), "team%01chat", "team%1Bchat"]) {
      for (const method of ["GET", "PUT"]) {
        const response = await gw.request(method, `/v1/apps/${app.id}/channels/${channelId}/members`, {
          token: app.server_key,
          body: method === "PUT" ? { member_ids: ["u1"] } : undefined,
        });
        expect(response.status, `${method} ${channelId.slice(0, 12)}`).to.equal(400);
        expect(response.body.errors[0].path).to.equal("channel_id");
      }
    }
  });

  it("refuses NUL and ESC in event, actor and channel ids, naming the field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ id: "evt_\u0000" }, "id"],
      [{ actor: { id: "u\u001b[31m" } }, "actor.id"],
      [{ channel: { id: "c\u0000" } }, "channel.id"],
    ];
    for (const [override, path] of cases) {
      const response = await postEvent(gw, app, messageEvent(override));
      expect(response.status, path).to.equal(400);
      expect(response.body.errors.map((error: { path: string }) => error.path)).to.include(path);
    }
  });

  it("refuses a webhook URL that carries credentials, which would be stored and shown in clear", async () => {
    const response = await gw.request("PATCH", `/v1/apps/${app.id}`, {
      token: gw.adminToken,
      body: { mode: "webhook", webhook: { url: "https://user:secret@hooks.example.com/pushgate" } },
    });
    expect(response.status).to.equal(400);
    expect(response.body.errors[0].path).to.equal("webhook.url");
    const shown = await gw.request("GET", `/v1/apps/${app.id}`, { token: gw.adminToken });
    expect(JSON.stringify(shown.body)).to.not.include("secret@");
  });

  it("shows a webhook URL stored with credentials before they were refused without them", () => {
    const stored = {
      id: "app_1",
      name: "Old",
      mode: "webhook" as const,
      pushEnabled: true,
      requireAuthToken: true,
      notificationTtlSeconds: 3600,
      quietDelivery: "drop" as const,
      badge: "count" as const,
      burstWindowSeconds: 0,
      webpush: null,
      variants: {},
      defaultLocale: "en",
      apiKey: "pk_1",
      webhook: testWebhook({ url: "https://user:secret@hooks.example.com/pushgate?x=1" }),
      statusCallback: null,
      fcm: null,
      apns: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    expect(presentApp(stored).webhook?.url).to.equal("https://hooks.example.com/pushgate?x=1");
  });
});
