import { expect } from "chai";
import { appProviderSettings } from "../../src/simulators/simulated-credentials.js";
import { registered, signIn } from "../devices/client.js";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { apnsToken, fcmToken, type PushWorld, startPushWorld } from "../support/push-world.js";

describe("app variants: several builds under one tenant (docs/api.md, Variants)", function () {
  this.timeout(30_000);
  let world: PushWorld;

  before(async () => {
    world = await startPushWorld();
  });
  after(() => world?.close());

  const patchApp = (body: Record<string, unknown>) =>
    world.gw.request("PATCH", `/v1/apps/${world.app.id}`, { token: world.app.server_key, body });

  it("sends a device registered with a variant through that variant's APNs key and bundle, the others through the app's", async () => {
    const enterprise = world.sims.registerApp({ bundleId: "com.acme.chat.enterprise" });
    const patched = await patchApp({
      variants: { enterprise: { apns: appProviderSettings(enterprise).apns } },
    });
    expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
    expect(patched.body.variants).to.deep.equal({
      enterprise: {
        fcm: { configured: false },
        apns: {
          configured: true,
          bundle_id: "com.acme.chat.enterprise",
          team_id: enterprise.apns.teamId,
          key_id: enterprise.apns.keyId,
        },
        webpush: { configured: false },
      },
    });

    const whiteLabel = apnsToken();
    const regular = apnsToken();
    const android = fcmToken();
    const bob = await signIn(world.gw, world.app, "u2");
    await registered(world.gw, bob, {
      provider: "apns",
      token: whiteLabel,
      device_id: "ent",
      variant: "enterprise",
    });
    await registered(world.gw, bob, { provider: "apns", token: regular, device_id: "own" });
    await registered(world.gw, bob, {
      provider: "gcm",
      token: android,
      device_id: "droid",
      variant: "enterprise",
    });

    const event = messageEvent();
    expect((await postEvent(world.gw, world.app, event)).status).to.equal(202);
    const status = await waitForEvent(world.gw, world.app, event.id);

    expect(status.deliveries).to.include({ sent: 3, failed: 0 });
    const [viaVariant] = world.sims.received.forToken(whiteLabel);
    expect(viaVariant?.headers["apns-topic"]).to.equal("com.acme.chat.enterprise");
    expect(viaVariant?.sender).to.equal(`${enterprise.apns.teamId}/${enterprise.apns.keyId}`);
    const [viaApp] = world.sims.received.forToken(regular);
    expect(viaApp?.headers["apns-topic"]).to.equal(world.credentials.apns.bundleId);
    // The variant has no FCM block: its Android build goes through the app's own project.
    expect(world.sims.received.forToken(android)[0]?.sender).to.equal(world.credentials.fcm.client_email);
  });

  it("changes one block of one variant at a time, and removes a variant with null", async () => {
    const staging = world.sims.registerApp({ bundleId: "com.acme.chat.staging" });
    await patchApp({ variants: { staging: { apns: appProviderSettings(staging).apns } } });
    const withFcm = await patchApp({ variants: { staging: { fcm: appProviderSettings(staging).fcm } } });
    expect(withFcm.body.variants.staging.apns).to.include({
      configured: true,
      bundle_id: "com.acme.chat.staging",
    });
    expect(withFcm.body.variants.staging.fcm).to.include({ configured: true });
    expect(withFcm.body.variants).to.have.property("enterprise");

    const removed = await patchApp({ variants: { staging: null } });
    expect(Object.keys(removed.body.variants)).to.deep.equal(["enterprise"]);
  });

  it("answers 400 naming variant for a registration with a variant the app does not have, or a bad name", async () => {
    const carol = await signIn(world.gw, world.app, "u3");
    for (const variant of ["nope", "Bad Name"]) {
      const answer = await world.gw.request("POST", "/v1/users/@me/devices", {
        token: carol.token,
        body: { provider: "apns", token: apnsToken(), variant },
      });
      expect(answer.status, variant).to.equal(400);
      expect(JSON.stringify(answer.body), variant).to.include('"variant"');
    }
    const badName = await patchApp({ variants: { "Bad Name": { apns: null } } });
    expect(badName.status).to.equal(400);
    expect(JSON.stringify(badName.body)).to.include("variants");
  });
});
