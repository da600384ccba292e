import { expect } from "chai";
import { toApnsNotification } from "../../src/providers/apns/apns-notification.js";
import { toFcmMessage } from "../../src/providers/fcm/fcm-message.js";
import type { PushMessage } from "../../src/providers/push-provider.js";

function message(fields: Partial<PushMessage> = {}): PushMessage {
  return {
    title: "Alice",
    body: "hello",
    data: { event_id: "e1" },
    collapseId: "e1",
    expiresAt: new Date(Date.now() + 60_000),
    call: false,
    presentation: {
      apns: { sound: "ping.caf", category: "MESSAGE", mutable_content: true },
      android: { channel_id: "messages", sound: "ping" },
    },
    ...fields,
  };
}

/** The JSON node-apn sends. */
function apnsJson(pushMessage: PushMessage): { aps: Record<string, unknown> } {
  return JSON.parse(JSON.stringify(toApnsNotification(pushMessage, "com.example.chat", false)));
}

describe("a template's presentation settings at the providers", () => {
  it("APNs: the template's sound, category and mutable-content", () => {
    expect(apnsJson(message()).aps).to.deep.include({
      sound: "ping.caf",
      category: "MESSAGE",
      "mutable-content": 1,
    });
  });

  it("APNs: no sound of the template when silent, and the default sound without a template", () => {
    expect(apnsJson(message({ silent: true })).aps).not.to.have.property("sound");
    expect(apnsJson(message({ presentation: undefined })).aps).to.include({ sound: "default" });
    expect(apnsJson(message({ presentation: undefined })).aps).not.to.have.any.keys(
      "category",
      "mutable-content",
    );
  });

  it("FCM: the Android channel and sound, and the APNs settings for iOS devices reached through FCM", () => {
    const fcm = toFcmMessage(message(), "token");
    expect(fcm.android?.notification).to.deep.equal({ tag: "e1", channelId: "messages", sound: "ping" });
    expect(fcm.apns).to.deep.equal({
      headers: { "apns-collapse-id": "e1" },
      payload: { aps: { sound: "ping.caf", category: "MESSAGE", mutableContent: true } },
    });
  });

  it("FCM: silent keeps the channel but no sound; without a template only the collapse id is added", () => {
    const silent = toFcmMessage(message({ silent: true }), "token");
    expect(silent.android?.notification).to.deep.equal({ tag: "e1", priority: "min", channelId: "messages" });
    expect(silent.apns).to.deep.equal({
      headers: { "apns-collapse-id": "e1" },
      payload: { aps: { category: "MESSAGE", mutableContent: true } },
    });
    const plain = toFcmMessage(message({ presentation: undefined }), "token");
    expect(plain.android?.notification).to.deep.equal({ tag: "e1" });
    expect(plain.apns).to.deep.equal({ headers: { "apns-collapse-id": "e1" } });
  });
});
