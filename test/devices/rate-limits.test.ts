import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { createApp, startTestGateway, type TestGateway, type TestResponse } from "../support/test-gateway.js";
import { authToken, createSession, pushToken, register, signIn, type TestApp } from "./client.js";

function expectRateLimited(response: Awaited<ReturnType<TestGateway["request"]>>, per = /per minute/): void {
  expect(response.status).to.equal(429);
  expect(response.headers.get("content-type")).to.match(/^application\/problem\+json/);
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(retryAfter).to.be.within(1, 60);
  expect(response.body.detail).to.match(per);
}

/** A sign-in from `address`, as a load balancer in front of the gateway reports it. */
function signInFrom(gw: TestGateway, app: TestApp, address: string, body: Record<string, unknown>) {
  return gw.request("POST", "/v1/sessions", {
    headers: { "x-api-key": app.api_key, "x-forwarded-for": address },
    body,
  });
}

describe("rate limits", () => {
  it("a flood of garbage sign-ins from one address keeps nobody else out", async () => {
    const gw = await startTestGateway({ TRUST_PROXY: true });
    try {
      const app = await createApp(gw);
      for (let i = 0; i < 70; i++) {
        const garbage = await signInFrom(gw, app, "203.0.113.9", {
          user_id: `victim${i % 3}`,
          auth_token: "x.y.z",
        });
        expect(garbage.status).to.equal(401);
      }
      for (const userId of ["victim0", "victim1", "u-real"]) {
        const real = await signInFrom(gw, app, "198.51.100.7", {
          user_id: userId,
          auth_token: await authToken(app.server_key, userId),
        });
        expect(real.status, userId).to.equal(201);
      }
    } finally {
      await gw.close();
    }
  });

  it("limits sign-in attempts per client address, an IPv6 client by its /64", async () => {
    const gw = await startTestGateway({ TRUST_PROXY: true, RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE: 2 });
    try {
      const app = await createApp(gw, { require_auth_token: false });
      expect((await signInFrom(gw, app, "2001:db8:1:2::a", { user_id: "u1" })).status).to.equal(201);
      expect((await signInFrom(gw, app, "2001:db8:1:2:ffff::b", { user_id: "u2" })).status).to.equal(201);
      expectRateLimited(await signInFrom(gw, app, "2001:db8:1:2::c", { user_id: "u3" }));
      expect((await signInFrom(gw, app, "2001:db8:1:3::a", { user_id: "u3" })).status).to.equal(201);
      expect((await signInFrom(gw, app, "192.0.2.1", { user_id: "u4" })).status).to.equal(201);
    } finally {
      await gw.close();
    }
  });

  it("limits sign-ins per user once the user's token verified: failed attempts spend nothing of it", async () => {
    const gw = await startTestGateway({ RATE_LIMIT_SIGN_IN_PER_USER_PER_MINUTE: 2 });
    try {
      const app = await createApp(gw);
      const other = await createApp(gw);
      for (let i = 0; i < 3; i++) {
        expect((await createSession(gw, app, { user_id: "u1", auth_token: "not.a.jwt" })).status).to.equal(
          401,
        );
      }
      const asU1 = async (target: TestApp) =>
        createSession(gw, target, { user_id: "u1", auth_token: await authToken(target.server_key, "u1") });
      expect((await asU1(app)).status).to.equal(201);
      expect((await asU1(app)).status).to.equal(201);
      expectRateLimited(await asU1(app));
      expect((await asU1(other)).status).to.equal(201);
      const u2 = await createSession(gw, app, {
        user_id: "u2",
        auth_token: await authToken(app.server_key, "u2"),
      });
      expect(u2.status).to.equal(201);
    } finally {
      await gw.close();
    }
  });

  it("caps sign-in attempts per app per second, whatever the addresses", async () => {
    const gw = await startTestGateway({ TRUST_PROXY: true, RATE_LIMIT_SIGN_IN_PER_APP_PER_SECOND: 3 });
    try {
      const app = await createApp(gw, { require_auth_token: false });
      const other = await createApp(gw, { require_auth_token: false });
      const answers = [];
      for (let i = 0; i < 4; i++)
        answers.push(await signInFrom(gw, app, `192.0.2.${i + 1}`, { user_id: `u${i}` }));
      expect(answers.slice(0, 3).map((answer) => answer.status)).to.deep.equal([201, 201, 201]);
      expectRateLimited(answers[3] as TestResponse, /per second/);
      expect((await signInFrom(gw, other, "192.0.2.9", { user_id: "u1" })).status).to.equal(201);
    } finally {
      await gw.close();
    }
  });

  it("limits unregistration with the API key per client address", async () => {
    const gw = await startTestGateway({ TRUST_PROXY: true, RATE_LIMIT_UNREGISTER_PER_ADDRESS_PER_MINUTE: 2 });
    try {
      const app = await createApp(gw);
      const unregisterFrom = (address: string) =>
        gw.request("POST", "/v1/devices/unregister", {
          headers: { "x-api-key": app.api_key, "x-forwarded-for": address },
          body: { device_id: "probe" },
        });
      expect((await unregisterFrom("203.0.113.9")).status).to.equal(200);
      expect((await unregisterFrom("203.0.113.9")).status).to.equal(200);
      expectRateLimited(await unregisterFrom("203.0.113.9"));
      expect((await unregisterFrom("198.51.100.7")).status).to.equal(200);
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

  it("counts a session's notification-settings changes as its writes; the customer server's are not limited", async () => {
    const gw = await startTestGateway({ RATE_LIMIT_DEVICE_WRITES_PER_MINUTE: 2 });
    try {
      const app = await createApp(gw);
      const client = await signIn(gw, app, "u-settings");
      const ownChannel = (channelId: string) =>
        gw.request("PUT", `/v1/users/@me/channels/${channelId}/notification-settings`, {
          token: client.token,
          body: { level: "mentions" },
        });
      expect((await ownChannel("c1")).status).to.equal(200);
      expect(
        (
          await gw.request("PUT", "/v1/users/@me/notification-settings", {
            token: client.token,
            body: { enabled: true },
          })
        ).status,
      ).to.equal(200);
      expectRateLimited(await ownChannel("c2"));
      expect(
        (await gw.request("GET", "/v1/users/@me/notification-settings", { token: client.token })).status,
      ).to.equal(200);
      for (const channelId of ["c2", "c3", "c4"]) {
        const byServer = await gw.request(
          "PUT",
          `/v1/apps/${app.id}/users/u-settings/channels/${channelId}/notification-settings`,
          { token: app.server_key, body: { level: "none" } },
        );
        expect(byServer.status, channelId).to.equal(200);
      }
    } finally {
      await gw.close();
    }
  });

  it("shares a limit between gateway instances through Redis", async () => {
    const prefix = `pgtest-${randomBytes(6).toString("hex")}`;
    const first = await startTestGateway({
      RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE: 2,
      REDIS_PREFIX: prefix,
    });
    let second: TestGateway | undefined;
    try {
      second = await startTestGateway({
        RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE: 2,
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
