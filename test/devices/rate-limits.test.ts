import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";
import { createSession, pushToken, register, signIn } from "./client.js";

function expectRateLimited(response: Awaited<ReturnType<TestGateway["request"]>>): void {
  expect(response.status).to.equal(429);
  expect(response.headers.get("content-type")).to.match(/^application\/problem\+json/);
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(retryAfter).to.be.within(1, 60);
  expect(response.body.detail).to.match(/per minute/);
}

describe("rate limits", () => {
  it("limits session creation per API key", async () => {
    const gw = await startTestGateway({ RATE_LIMIT_SESSIONS_PER_MINUTE: 2 });
    try {
      const app = await createApp(gw, { require_auth_token: false });
      const other = await createApp(gw, { require_auth_token: false });
      for (let i = 0; i < 2; i++)
        expect((await createSession(gw, app, { user_id: `u${i}` })).status).to.equal(201);
      expectRateLimited(await createSession(gw, app, { user_id: "u3" }));
      expect((await createSession(gw, other, { user_id: "u1" })).status).to.equal(201);
    } finally {
      await gw.close();
    }
  });

  it("limits device writes per session, not reads", async () => {
    const gw = await startTestGateway({ RATE_LIMIT_DEVICE_WRITES_PER_MINUTE: 2 });
    try {
      const app = await createApp(gw);
      const busy = await signIn(gw, app, "u-busy");
      const calm = await signIn(gw, app, "u-calm");
      expect((await register(gw, busy, { provider: "gcm", token: pushToken() })).status).to.equal(204);
      const removal = await gw.request("DELETE", "/v1/users/@me/devices", {
        token: busy.token,
        body: { all: true },
      });
      expect(removal.status).to.equal(204);
      expectRateLimited(await register(gw, busy, { provider: "gcm", token: pushToken() }));
      expectRateLimited(
        await gw.request("PUT", "/v1/users/@me/devices/sync", {
          token: busy.token,
          body: { provider: "gcm", token: pushToken(), push_sync_tokens: [] },
        }),
      );
      expect((await gw.request("GET", "/v1/users/@me/devices", { token: busy.token })).status).to.equal(200);
      expect((await register(gw, calm, { provider: "gcm", token: pushToken() })).status).to.equal(204);
    } finally {
      await gw.close();
    }
  });

  it("shares a limit between gateway instances through Redis", async () => {
    const prefix = `pgtest-${randomBytes(6).toString("hex")}`;
    const first = await startTestGateway({ RATE_LIMIT_SESSIONS_PER_MINUTE: 2, REDIS_PREFIX: prefix });
    let second: TestGateway | undefined;
    try {
      second = await startTestGateway({
        RATE_LIMIT_SESSIONS_PER_MINUTE: 2,
        REDIS_PREFIX: prefix,
        DATABASE_URL: first.settings.DATABASE_URL,
      });
      const app = await createApp(first, { require_auth_token: false });
      expect((await createSession(first, app, { user_id: "u1" })).status).to.equal(201);
      expect((await createSession(second, app, { user_id: "u2" })).status).to.equal(201);
      expectRateLimited(await createSession(first, app, { user_id: "u3" }));
    } finally {
      await second?.close();
      await first.close();
    }
  });
});
