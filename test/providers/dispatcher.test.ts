import { expect } from "chai";
import type { PushDispatcher } from "../../src/providers/push-dispatcher.js";
import type { SimulatedAppCredentials, Simulators } from "../../src/simulators/simulators.js";
import { apnsToken, appWith, fcmToken, pushMessage, receivedOnce, useDispatcher } from "./support.js";

describe("push dispatcher", () => {
  let simulators: Simulators;
  let dispatcher: PushDispatcher;
  let credentials: SimulatedAppCredentials;

  useDispatcher((world) => ({ simulators, dispatcher, credentials } = world));

  it("routes each target by provider and answers in the targets' order", async () => {
    const dead = fcmToken();
    simulators.scriptToken(dead, { kind: "dead" });
    const targets = [
      { provider: "apns_internal", token: apnsToken() },
      { provider: "gcm", token: fcmToken() },
      { provider: "apns", token: "zz" },
      { provider: "gcm", token: dead },
      { provider: "apns_voip", token: apnsToken() },
    ] as const;

    const outcomes = await dispatcher.send(appWith(credentials), pushMessage(), [...targets]);

    expect(outcomes.map((outcome) => outcome.status)).to.deep.equal([
      "sent",
      "sent",
      "invalid_token",
      "invalid_token",
      "sent",
    ]);
    expect(receivedOnce(simulators, targets[0].token).simulator).to.equal("apns-sandbox");
    expect(receivedOnce(simulators, targets[1].token).simulator).to.equal("fcm");
    expect(receivedOnce(simulators, targets[4].token).simulator).to.equal("apns-production");
  });

  it("tells each outcome, with its target's index, as soon as it is known", async () => {
    const slow = apnsToken();
    simulators.scriptToken(slow, { kind: "slow", delayMs: 300 });
    const told: [number, string][] = [];

    const outcomes = await dispatcher.send(
      appWith(credentials),
      pushMessage(),
      [
        { provider: "apns", token: slow },
        { provider: "gcm", token: fcmToken() },
      ],
      (index, outcome) => told.push([index, outcome.status]),
    );

    expect(outcomes.map((outcome) => outcome.status)).to.deep.equal(["sent", "sent"]);
    expect(told).to.deep.equal([
      [1, "sent"],
      [0, "sent"],
    ]);
  });

  it("fails, without throwing, the tokens of a provider the app has no credentials for", async () => {
    const outcomes = await dispatcher.send(appWith(null), pushMessage(), [
      { provider: "gcm", token: fcmToken() },
      { provider: "apns", token: apnsToken() },
    ]);

    expect(outcomes).to.deep.equal([
      { status: "failed", reason: "the app has no FCM credentials" },
      { status: "failed", reason: "the app has no APNs credentials" },
    ]);
  });

  it("fails, without throwing, for a service account whose key does not parse", async () => {
    const broken = { fcm: { ...credentials.fcm, private_key: "not a key" }, apns: credentials.apns };

    const [outcome] = await dispatcher.send(appWith(broken), pushMessage(), [
      { provider: "gcm", token: fcmToken() },
    ]);

    expect(outcome?.status).to.equal("failed");
  });

  it("answers an empty list of targets with an empty list", async () => {
    expect(await dispatcher.send(appWith(credentials), pushMessage(), [])).to.deep.equal([]);
  });
});
