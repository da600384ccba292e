import { expect } from "chai";
import type { RecipientToken } from "../../src/domain/audience/audience.js";
import { retryDelayMs } from "../../src/pipeline/retry-policy.js";
import { notificationData, shorten } from "../../src/pipeline/stages/render.js";
import { selectTargets } from "../../src/pipeline/stages/targets.js";

describe("pipeline stages", () => {
  describe("shorten", () => {
    it("keeps text that fits and cuts the rest on a character boundary with …", () => {
      expect(shorten("hello", 5)).to.equal("hello");
      expect(shorten("hello world", 8)).to.equal("hello…");
      const cut = shorten("😀😀😀", 9);
      expect(cut).to.equal("😀…");
      expect(Buffer.byteLength(cut)).to.be.at.most(9);
    });
  });

  describe("notificationData", () => {
    it("turns every value into a string and lets the gateway's keys win", () => {
      const data = notificationData({
        id: "e1",
        type: "message.created",
        occurred_at: "2026-11-22T10:00:00Z",
        actor: { id: "u1" },
        channel: { id: "c1" },
        message: { id: "m1", type: "text" },
        data: { event_id: "forged", count: 3, nested: { a: 1 }, gone: null },
      });
      expect(data).to.deep.equal({
        event_id: "e1",
        event_type: "message.created",
        channel_id: "c1",
        message_id: "m1",
        count: "3",
        nested: '{"a":1}',
      });
    });
  });

  describe("selectTargets", () => {
    const token = (fields: Partial<RecipientToken>): RecipientToken => ({
      userId: "u",
      provider: "apns",
      token: "t",
      platform: "ios",
      voip: false,
      deviceId: "d",
      clientDeviceId: null,
      locale: null,
      ...fields,
    });
    const tokens = [
      token({ token: "ios-alert", deviceId: "d1" }),
      token({ token: "ios-voip", deviceId: "d1", voip: true, provider: "apns_voip" }),
      token({ token: "ios-only-alert", deviceId: "d2" }),
      token({ token: "android", deviceId: "d3", provider: "gcm", platform: "android" }),
      token({ token: "android", deviceId: "d3", provider: "gcm", platform: "android", userId: "shared" }),
    ];

    it("never uses VoIP tokens for ordinary notifications, and sends once per token", () => {
      expect(selectTargets(tokens, false).map((t) => t.token)).to.deep.equal([
        "ios-alert",
        "ios-only-alert",
        "android",
      ]);
    });

    it("rings a device on its VoIP token when it has one", () => {
      expect(selectTargets(tokens, true).map((t) => t.token)).to.deep.equal([
        "ios-voip",
        "ios-only-alert",
        "android",
      ]);
    });
  });

  describe("retryDelayMs", () => {
    const policy = { baseMs: 1000, maxMs: 60_000 };
    it("doubles per attempt with jitter between half and the whole step, capped", () => {
      expect(retryDelayMs(1, policy, 0, () => 0)).to.equal(500);
      expect(retryDelayMs(1, policy, 0, () => 1)).to.equal(1000);
      expect(retryDelayMs(3, policy, 0, () => 1)).to.equal(4000);
      expect(retryDelayMs(30, policy, 0, () => 1)).to.equal(60_000);
    });
    it("waits at least what Retry-After asks", () => {
      expect(retryDelayMs(1, policy, 7000, () => 1)).to.equal(7000);
    });
  });
});
