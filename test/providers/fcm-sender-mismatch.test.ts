import { expect } from "chai";
import type { PushDispatcher } from "../../src/providers/push-dispatcher.js";
import { appProviderSettings } from "../../src/simulators/simulated-credentials.js";
import type { SimulatedAppCredentials, Simulators } from "../../src/simulators/simulators.js";
import { devicesOf } from "../devices/client.js";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { type PushWorld, startPushWorld, type UserDevices, userWithDevices } from "../support/push-world.js";
import { createApp } from "../support/test-gateway.js";
import { appWith, fcmToken, pushMessage, useDispatcher } from "./support.js";

/**
 * firebase-admin reports FCM's SENDER_ID_MISMATCH (the token is another sender's: dead for this
 * app) and PERMISSION_DENIED (the app's own credentials are wrong) under one code: taking one for
 * the other would drop every token of a misconfigured app, or keep dead ones for ever.
 */
describe("FCM SENDER_ID_MISMATCH and PERMISSION_DENIED, through firebase-admin", () => {
  describe("the outcome of a send", () => {
    let simulators: Simulators;
    let dispatcher: PushDispatcher;
    let credentials: SimulatedAppCredentials;

    useDispatcher((world) => ({ simulators, dispatcher, credentials } = world));

    it("is invalid_token for a token issued to another sender", async () => {
      const token = fcmToken();
      simulators.scriptToken(token, { kind: "foreign" });

      const [outcome] = await dispatcher.send(appWith(credentials), pushMessage(), [
        { provider: "gcm", token },
      ]);

      expect(outcome).to.deep.equal({
        status: "invalid_token",
        reason: "messaging/mismatched-credential: SenderId mismatch",
        providerStatus: "403",
      });
    });

    it("is failed, under the same firebase-admin code, when the app's project is not its credential's", async () => {
      const app = appWith({ fcm: { ...credentials.fcm, project_id: "someone-elses-project" }, apns: null });

      const outcomes = await dispatcher.send(app, pushMessage(), [
        { provider: "gcm", token: fcmToken() },
        { provider: "gcm", token: fcmToken() },
      ]);

      expect(outcomes.map((outcome) => outcome.status)).to.deep.equal(["failed", "failed"]);
      expect(outcomes[0])
        .to.have.property("reason")
        .that.matches(/^messaging\/mismatched-credential: Permission .* denied/);
    });
  });

  describe("the tokens a gateway keeps", () => {
    let world: PushWorld;
    before(async () => {
      world = await startPushWorld();
    });
    after(() => world.close());

    async function androidTokensOf(user: UserDevices): Promise<string[]> {
      return (await devicesOf(world.gw, user.session)).android;
    }

    it("removes the token FCM says is another sender's and keeps the others", async () => {
      const foreign = await userWithDevices(world.gw, world.app, "u2");
      const healthy = await userWithDevices(world.gw, world.app, "u3");
      world.sims.scriptToken(foreign.android as string, { kind: "foreign" });
      const event = messageEvent({ channel: { id: "c1", member_ids: ["u1", "u2", "u3"] } });

      expect((await postEvent(world.gw, world.app, event)).status).to.equal(202);
      const status = await waitForEvent(world.gw, world.app, event.id);

      expect(status.deliveries).to.include({ sent: 1, invalid_tokens: 1, failed: 0 });
      expect(await androidTokensOf(foreign)).to.deep.equal([]);
      expect(await androidTokensOf(healthy)).to.deep.equal([healthy.android]);
    });

    it("keeps every token of an app whose service account names a project it may not send for", async () => {
      const credentials = world.sims.registerApp();
      const settings = appProviderSettings(credentials);
      const app = await createApp(world.gw, {
        ...settings,
        fcm: { service_account: { ...credentials.fcm, project_id: "someone-elses-project" } },
      });
      const users = [await userWithDevices(world.gw, app, "u2"), await userWithDevices(world.gw, app, "u3")];
      const event = messageEvent({ channel: { id: "c1", member_ids: ["u1", "u2", "u3"] } });

      expect((await postEvent(world.gw, app, event)).status).to.equal(202);
      const status = await waitForEvent(world.gw, app, event.id);

      expect(status.deliveries).to.include({ sent: 0, failed: 2, invalid_tokens: 0 });
      for (const user of users) expect(await androidTokensOf(user)).to.deep.equal([user.android]);
    });
  });
});
