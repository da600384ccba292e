import { expect } from "chai";
import { SignJWT } from "jose";
import { deriveKey } from "../../src/security/derive-key.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";
import { devicesOf, pushToken, registered, type SignedIn, signIn, type TestApp } from "./client.js";
import { useGatewayWithApp } from "./fixtures.js";

const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;

describe("several accounts on one device", () => {
  let gw: TestGateway;
  let app: TestApp;
  useGatewayWithApp((started) => ({ gw, app } = started));

  async function syncTokenOf(session: SignedIn): Promise<string> {
    const response = await gw.request("GET", "/v1/users/@me/devices/sync-token", { token: session.token });
    expect(response.status).to.equal(200);
    expect(response.body).to.have.all.keys("token");
    return response.body.token;
  }

  const sync = (session: SignedIn, body: Record<string, unknown>) =>
    gw.request("PUT", "/v1/users/@me/devices/sync", { token: session.token, body });

  it("binds the device token to the caller and to every account with a valid sync token", async () => {
    const work = await signIn(gw, app, "u-work");
    const personal = await signIn(gw, app, "u-personal");
    const family = await signIn(gw, app, "u-family");
    const token = pushToken();
    const response = await sync(work, {
      provider: "apns",
      token,
      push_sync_tokens: [await syncTokenOf(personal), await syncTokenOf(family)],
    });
    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal({ invalid_push_sync_tokens: [] });
    for (const session of [work, personal, family])
      expect((await devicesOf(gw, session)).ios).to.deep.equal([token]);
    const recipients = await gw.gateway.store.tokens.tokensOf(app.id, ["u-work", "u-personal", "u-family"]);
    expect(recipients.map((recipient) => recipient.userId)).to.have.members([
      "u-work",
      "u-personal",
      "u-family",
    ]);
  });

  it("ends a binding with the sign-out of the session that vouched for it, and refuses that session's sync token after", async () => {
    const alice = await signIn(gw, app, "u-alice");
    const bob = await signIn(gw, app, "u-bob");
    const bobsSyncToken = await syncTokenOf(bob);
    const token = pushToken();
    const bound = await sync(alice, { provider: "gcm", token, push_sync_tokens: [bobsSyncToken] });
    expect(bound.body).to.deep.equal({ invalid_push_sync_tokens: [] });
    const receivers = async () =>
      (await gw.gateway.store.tokens.tokensOf(app.id, ["u-alice", "u-bob"])).map(
        (recipient) => recipient.userId,
      );
    expect(await receivers()).to.have.members(["u-alice", "u-bob"]);

    expect((await gw.request("DELETE", "/v1/sessions/current", { token: bob.token })).status).to.equal(204);
    expect(await receivers(), "Bob signed out of the phone").to.deep.equal(["u-alice"]);

    // Alice's app still holds Bob's token from before his sign-out.
    const again = await sync(alice, { provider: "gcm", token, push_sync_tokens: [bobsSyncToken] });
    expect(again.body).to.deep.equal({ invalid_push_sync_tokens: [bobsSyncToken] });
    expect(await receivers()).to.deep.equal(["u-alice"]);
  });

  it("answers the sync tokens it refused: forged, expired, of another app", async () => {
    const caller = await signIn(gw, app, "u-caller");
    const other = await createApp(gw);
    const foreign = await signIn(gw, other, "u-foreign");
    const foreignToken = (
      await gw.request("GET", "/v1/users/@me/devices/sync-token", { token: foreign.token })
    ).body.token as string;
    const key = deriveKey(gw.gateway.masterKey, "sync-token");
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256", typ: "pushgate-sync+jwt" })
      .setAudience(app.id)
      .setSubject("u-late")
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(key);
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256", typ: "pushgate-sync+jwt" })
      .setAudience(app.id)
      .setSubject("u-forged")
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("not the gateway's key"));
    const valid = await syncTokenOf(await signIn(gw, app, "u-valid"));

    const response = await sync(caller, {
      provider: "gcm",
      token: pushToken(),
      push_sync_tokens: [foreignToken, expired, valid, forged, "garbage"],
    });
    expect(response.body.invalid_push_sync_tokens).to.deep.equal([foreignToken, expired, forged, "garbage"]);
    const bound = await gw.gateway.store.tokens.tokensOf(app.id, [
      "u-caller",
      "u-valid",
      "u-late",
      "u-forged",
    ]);
    expect(bound.map((recipient) => recipient.userId)).to.have.members(["u-caller", "u-valid"]);
  });

  it("a plain registration resets the device to the caller alone", async () => {
    const first = await signIn(gw, app, "u-first");
    const second = await signIn(gw, app, "u-second");
    const token = pushToken();
    await sync(first, { provider: "gcm", token, push_sync_tokens: [await syncTokenOf(second)] });
    expect((await devicesOf(gw, second)).android).to.deep.equal([token]);

    await registered(gw, first, { provider: "gcm", token });
    expect((await devicesOf(gw, first)).android).to.deep.equal([token]);
    expect((await devicesOf(gw, second)).android).to.deep.equal([]);
  });

  it("lets a sync-bound account take the token back from itself alone", async () => {
    const owner = await signIn(gw, app, "u-owner");
    const guest = await signIn(gw, app, "u-guest");
    const token = pushToken();
    await sync(owner, { provider: "gcm", token, push_sync_tokens: [await syncTokenOf(guest)] });
    const response = await gw.request("DELETE", "/v1/users/@me/devices", {
      token: guest.token,
      body: { provider: "gcm", token },
    });
    expect(response.status).to.equal(204);
    expect((await devicesOf(gw, guest)).android).to.deep.equal([]);
    expect((await devicesOf(gw, owner)).android).to.deep.equal([token]);
  });

  it("lets the app unregister a sync-bound user from the device, leaving the owner", async () => {
    const owner = await signIn(gw, app, "u-keeper");
    const guest = await signIn(gw, app, "u-visitor");
    const token = pushToken();
    await sync(owner, { provider: "gcm", token, push_sync_tokens: [await syncTokenOf(guest)] });
    const response = await gw.request("POST", "/v1/devices/unregister", {
      headers: { "x-api-key": app.api_key },
      body: { provider: "gcm", token, user_id: "u-visitor" },
    });
    expect(response.body).to.deep.equal({ unregistered: true });
    expect((await devicesOf(gw, guest)).android).to.deep.equal([]);
    expect((await devicesOf(gw, owner)).android).to.deep.equal([token]);
  });

  it("refuses a malformed sync body", async () => {
    const session = await signIn(gw, app, "u-malformed");
    const response = await sync(session, { provider: "gcm", token: pushToken(), push_sync_tokens: "x" });
    expect(response.status).to.equal(400);
    expect(response.body.errors[0].path).to.equal("push_sync_tokens");
  });
});

describe("sync token lifetime", () => {
  it("accepts a sync token for 24 h, and not after", async () => {
    const gw = await startTestGateway({ PUSHGATE_ROLE: "api" });
    try {
      const app = await createApp(gw);
      const holder = await signIn(gw, app, "u-holder");
      const caller = await signIn(gw, app, "u-caller");
      const { token } = (await gw.request("GET", "/v1/users/@me/devices/sync-token", { token: holder.token }))
        .body;
      const syncWith = async () => {
        const response = await gw.request("PUT", "/v1/users/@me/devices/sync", {
          token: caller.token,
          body: { provider: "gcm", token: pushToken(), push_sync_tokens: [token] },
        });
        expect(response.status).to.equal(200);
        return response.body;
      };
      gw.clock.advance(dayMs - minuteMs);
      expect(await syncWith(), "a minute before the end").to.deep.equal({ invalid_push_sync_tokens: [] });
      gw.clock.advance(2 * minuteMs);
      expect(await syncWith(), "a minute after").to.deep.equal({ invalid_push_sync_tokens: [token] });
    } finally {
      await gw.close();
    }
  });
});
