import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import { expect } from "chai";
import { FcmApps } from "../../src/providers/fcm/fcm-apps.js";
import type { PushDispatcher } from "../../src/providers/push-dispatcher.js";
import type { SimulatedAppCredentials, Simulators } from "../../src/simulators/simulators.js";
import { simulatorTls } from "../../src/simulators/tls-material.js";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import {
  apnsPayload,
  fcmPayload,
  type PushWorld,
  startPushWorld,
  userWithDevices,
} from "../support/push-world.js";
import {
  apnsToken,
  appWith,
  fcmToken,
  pushMessage,
  receivedOnce,
  silentLogger,
  useDispatcher,
} from "./support.js";

/** One key of each kind FCM HTTP v1 reserves in `data`. */
const reservedKeys = ["from", "message_type", "google.sent_time", "gcm.notification.title"];

describe("FCM's reserved data keys", () => {
  let simulators: Simulators;
  let dispatcher: PushDispatcher;
  let credentials: SimulatedAppCredentials;

  useDispatcher((world) => ({ simulators, dispatcher, credentials } = world));

  describe("the FCM simulator, through firebase-admin", () => {
    let apps: FcmApps;
    before(() => {
      apps = new FcmApps({
        endpoint: simulators.endpoints.fcmEndpoint,
        secureContext: createSecureContext({ ca: readFileSync(simulatorTls.caFile, "utf8") }),
        logger: silentLogger,
      });
    });
    after(() => apps.close());

    for (const key of reservedKeys) {
      it(`refuses a message whose data has "${key}" with FCM's INVALID_ARGUMENT`, async () => {
        const app = appWith(credentials);
        const messaging = apps.messaging(app, credentials.fcm);
        const token = fcmToken();

        const error = await messaging.send({ token, data: { [key]: "x", deep_link: "acme://c/c1" } }).then(
          () => expect.fail("FCM accepted a reserved data key"),
          (rejection: unknown) => rejection,
        );

        expect(error).to.include({
          code: "messaging/invalid-argument",
          message: `Invalid data payload key: ${key}`,
        });
        expect(simulators.received.forToken(token)).to.be.empty;
      });
    }

    it("accepts keys that only look like reserved ones", async () => {
      const messaging = apps.messaging(appWith(credentials), credentials.fcm);
      const token = fcmToken();

      await messaging.send({ token, data: { from_user: "u1", sender: "u1", my_google_id: "g" } });

      expect(simulators.received.forToken(token)).to.have.length(1);
    });
  });

  describe("Pushgate's sends", () => {
    const data = {
      event_id: "evt_9",
      deep_link: "acme://c/c1",
      ...Object.fromEntries(reservedKeys.map((key) => [key, "kept off FCM"])),
    };

    it("leave the reserved keys out of an FCM notification and send the rest", async () => {
      const token = fcmToken();

      const [outcome] = await dispatcher.send(appWith(credentials), pushMessage({ data }), [
        { provider: "gcm", token },
      ]);

      expect(outcome?.status).to.equal("sent");
      expect(receivedOnce(simulators, token).payload.data).to.deep.equal({
        event_id: "evt_9",
        deep_link: "acme://c/c1",
      });
    });

    it("leave them out of an FCM call too", async () => {
      const token = fcmToken();
      const message = pushMessage({ data, call: true, title: "Alice", body: "Incoming video call" });

      const [outcome] = await dispatcher.send(appWith(credentials), message, [{ provider: "gcm", token }]);

      expect(outcome?.status).to.equal("sent");
      expect(receivedOnce(simulators, token).payload.data).to.deep.equal({
        event_id: "evt_9",
        deep_link: "acme://c/c1",
        title: "Alice",
        body: "Incoming video call",
      });
    });

    it("leave them out of a silent FCM notification (snooze or quiet hours) too", async () => {
      const token = fcmToken();

      const [outcome] = await dispatcher.send(appWith(credentials), pushMessage({ data, silent: true }), [
        { provider: "gcm", token },
      ]);

      expect(outcome?.status).to.equal("sent");
      expect(receivedOnce(simulators, token).payload.data).to.deep.equal({
        event_id: "evt_9",
        deep_link: "acme://c/c1",
      });
    });

    it("still give them to APNs, which takes them", async () => {
      const token = apnsToken();

      const [outcome] = await dispatcher.send(appWith(credentials), pushMessage({ data }), [
        { provider: "apns", token },
      ]);

      expect(outcome?.status).to.equal("sent");
      expect(receivedOnce(simulators, token).payload).to.deep.include(data);
    });
  });
});

describe("an event whose data has a key FCM reserves", () => {
  let world: PushWorld;
  after(() => world?.close());

  it("reaches Android without that key and iOS with it", async () => {
    world = await startPushWorld();
    const bob = await userWithDevices(world.gw, world.app, "u2", { android: true, ios: true });
    const event = messageEvent({
      channel: { id: "c1", member_ids: ["u1", "u2"] },
      data: { from: "alice", deep_link: "acme://c/c1" },
    });

    expect((await postEvent(world.gw, world.app, event)).status).to.equal(202);
    const status = await waitForEvent(world.gw, world.app, event.id);

    expect(status.deliveries).to.include({ sent: 2, failed: 0 });
    const android = fcmPayload(world.sims.received.forToken(bob.android as string)[0]);
    expect(android.data).to.include({ deep_link: "acme://c/c1" }).and.not.have.property("from");
    const ios = apnsPayload(world.sims.received.forToken(bob.ios as string)[0]);
    expect(ios).to.include({ from: "alice", deep_link: "acme://c/c1" });
  });
});
