import { expect } from "chai";
import type { Message, Messaging } from "firebase-admin/messaging";
import type { PushDispatcher } from "../../src/providers/push-dispatcher.js";
import type { SimulatedAppCredentials, Simulators } from "../../src/simulators/simulators.js";
import { appWith, fcmToken, pushMessage, simulatedFcm, useDispatcher } from "./support.js";

describe("FCM simulator, through firebase-admin", () => {
  let simulators: Simulators;
  let dispatcher: PushDispatcher;
  let credentials: SimulatedAppCredentials;
  let fcm: ReturnType<typeof simulatedFcm>;
  let messaging: Messaging;

  useDispatcher((world) => ({ simulators, dispatcher, credentials } = world));

  before(() => {
    fcm = simulatedFcm(simulators);
    messaging = fcm.messaging(credentials);
  });

  after(() => fcm.close());

  /** What `send()` rejects with: firebase-admin's error code and message. */
  async function refusal(message: Omit<Message, "token">): Promise<{ code: string; message: string }> {
    try {
      await messaging.send({ ...message, token: fcmToken() } as Message);
    } catch (error) {
      const { code, message: text } = error as { code: string; message: string };
      return { code, message: text };
    }
    throw new Error("the simulator accepted the message");
  }

  it("accepts every option firebase-admin sends, under the names it sends them", async () => {
    const token = fcmToken();

    await messaging.send({
      token,
      notification: { title: "t", body: "b", imageUrl: "https://example.com/a.png" },
      data: { k: "v" },
      android: {
        collapseKey: "c1",
        priority: "high",
        ttl: 3500,
        restrictedPackageName: "com.example.app",
        directBootOk: true,
        bandwidthConstrainedOk: true,
        restrictedSatelliteOk: false,
        data: { k: "android" },
        fcmOptions: { analyticsLabel: "android_label" },
        notification: {
          title: "t",
          icon: "ic",
          color: "#00ff7f",
          sound: "default",
          tag: "evt_1",
          clickAction: "OPEN",
          bodyLocKey: "body",
          bodyLocArgs: ["a"],
          channelId: "chat",
          ticker: "tick",
          sticky: false,
          eventTimestamp: new Date(),
          localOnly: true,
          priority: "max",
          vibrateTimingsMillis: [100, 200],
          defaultSound: true,
          lightSettings: { color: "#ff000080", lightOnDurationMillis: 100, lightOffDurationMillis: 200 },
          visibility: "private",
          notificationCount: 3,
          proxy: "allow",
        },
      },
      apns: {
        headers: { "apns-priority": "10" },
        payload: { aps: { badge: 1, sound: "default", contentAvailable: true }, k: "v" },
        fcmOptions: { analyticsLabel: "apns_label", imageUrl: "https://example.com/a.png" },
      },
      webpush: {
        headers: { TTL: "60" },
        data: { k: "web" },
        notification: { title: "t", requireInteraction: true },
        fcmOptions: { link: "https://example.com/c1" },
      },
      fcmOptions: { analyticsLabel: "top_label" },
    });

    expect(simulators.received.forToken(token)).to.have.length(1);
  });

  it("refuses, as messaging/invalid-argument, what firebase-admin lets through", async () => {
    const refusals = [
      await refusal({ android: { notification: { priority: "loud" as "max" } } }),
      await refusal({ android: { notification: { visibility: "hidden" as "private" } } }),
      await refusal({ android: { colour: "#ff0000" } as never }),
      await refusal({ apns: { payload: { badge: 1 } as never } }),
      await refusal({ webpush: { fcmOptions: { link: "http://example.com/c1" } } }),
      await refusal({ fcmOptions: { analyticsLabel: "two words" } }),
    ];

    expect(refusals.map((entry) => entry.code)).to.deep.equal(Array(6).fill("messaging/invalid-argument"));
    expect(refusals[0]?.message).to.equal(
      "Invalid value at 'message.android.notification.notification_priority' " +
        `(type.googleapis.com/google.firebase.fcm.v1.AndroidNotification.NotificationPriority), "PRIORITY_LOUD"`,
    );
    expect(refusals[2]?.message).to.equal(
      `Invalid JSON payload received. Unknown name "colour" at 'message.android': Cannot find field.`,
    );
  });

  it("refuses a malformed registration token; Pushgate reports it failed and keeps the token", async () => {
    const outcomes = await dispatcher.send(appWith(credentials), pushMessage(), [
      { provider: "gcm", token: "not a token" },
    ]);

    expect(outcomes).to.deep.equal([
      {
        status: "failed",
        reason: "messaging/invalid-argument: The registration token is not a valid FCM registration token",
        providerStatus: "400",
      },
    ]);
  });
});
