import { expect } from "chai";
import { expoToken } from "../../src/simulators/device-tokens.js";
import { type SignedIn, signIn } from "../devices/client.js";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { type PushWorld, startPushWorld } from "../support/push-world.js";

describe("Expo end to end (docs/api.md, Expo)", function () {
  this.timeout(30_000);
  let world: PushWorld;

  before(async () => {
    world = await startPushWorld({ EXPO_RECEIPT_DELAY_SECONDS: 0, FANOUT_CHUNK_SIZE: 500 });
  });
  after(() => world?.close());
  beforeEach(() => world.sims.received.clear());

  async function expoUser(userId: string, platform: "ios" | "android" = "android") {
    const session = await signIn(world.gw, world.app, userId);
    const token = expoToken();
    const registered = await world.gw.request("POST", "/v1/users/@me/devices", {
      token: session.token,
      body: { provider: "expo", token, platform, device_id: `expo-${userId}` },
    });
    expect(registered.status, JSON.stringify(registered.body)).to.equal(204);
    return { session, token };
  }

  async function tokensOf(session: SignedIn) {
    return (await world.gw.request("GET", "/v1/users/@me/devices", { token: session.token })).body;
  }

  it("sends a channel of 150 Expo devices in two requests of at most 100", async () => {
    const members = Array.from({ length: 150 }, (_, index) => `batch-${index}`);
    const users = await Promise.all(members.map((userId) => expoUser(userId)));
    const sizesBefore = world.sims.expo.sendRequestSizes.length;

    const event = messageEvent({
      channel: { id: "big", display_name: "Big", member_ids: ["u1", ...members] },
    });
    expect((await postEvent(world.gw, world.app, event)).status).to.equal(202);
    const status = await waitForEvent(world.gw, world.app, event.id);

    expect(status.deliveries).to.include({ sent: 150, failed: 0 });
    const sizes = world.sims.expo.sendRequestSizes.slice(sizesBefore);
    expect(sizes.reduce((sum, size) => sum + size, 0)).to.equal(150);
    expect(sizes.every((size) => size <= 100)).to.equal(true);
    expect(sizes).to.have.length(2);
    const received = world.sims.received.forToken(users[0]?.token as string)[0];
    expect(received?.payload).to.deep.include({
      to: users[0]?.token,
      title: "Alice (Big)",
      body: "hello",
      sound: "default",
      priority: "high",
      badge: 1,
    });
  });

  it("lists an Expo token under the platform the app names", async () => {
    const { session, token } = await expoUser("ios-user", "ios");
    expect((await tokensOf(session)).ios).to.deep.equal([token]);
  });

  it("removes a token Expo answers DeviceNotRegistered at the send", async () => {
    const { session, token } = await expoUser("gone-at-send");
    world.sims.scriptToken(token, { kind: "dead" });

    const event = messageEvent({ channel: { id: "c9", member_ids: ["u1", "gone-at-send"] } });
    await postEvent(world.gw, world.app, event);
    const status = await waitForEvent(world.gw, world.app, event.id);

    expect(status.deliveries).to.include({ invalid_tokens: 1 });
    expect((await tokensOf(session)).android).to.deep.equal([]);
  });

  it("removes a token whose receipt says DeviceNotRegistered, once the receipts are checked", async () => {
    const { session, token } = await expoUser("gone-at-receipt");
    world.sims.expo.scriptReceipt(token, "DeviceNotRegistered");

    const event = messageEvent({ channel: { id: "c10", member_ids: ["u1", "gone-at-receipt"] } });
    await postEvent(world.gw, world.app, event);
    const status = await waitForEvent(world.gw, world.app, event.id);
    expect(status.deliveries, "the send itself was taken").to.include({ sent: 1, invalid_tokens: 0 });

    const deadline = Date.now() + 10_000;
    while ((await tokensOf(session)).android.length > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await tokensOf(session)).android).to.deep.equal([]);
  });

  it("answers 400 naming token for a token that is not an Expo push token", async () => {
    const session = await signIn(world.gw, world.app, "bad-token");
    for (const token of ["abc", "ExponentPushToken[]", "ExponentPushToken[abc", "ExpoPushToken[a b]"]) {
      const answer = await world.gw.request("POST", "/v1/users/@me/devices", {
        token: session.token,
        body: { provider: "expo", token },
      });
      expect(answer.status, token).to.equal(400);
      expect(JSON.stringify(answer.body), token).to.include('"token"');
    }
  });
});
