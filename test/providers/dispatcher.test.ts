import { randomUUID } from "node:crypto";
import { createSecureServer } from "node:http2";
import { expect } from "chai";
import type { PushDispatcher } from "../../src/providers/push-dispatcher.js";
import { type ListeningServer, listen } from "../../src/simulators/listening-server.js";
import type { SimulatedAppCredentials, Simulators } from "../../src/simulators/simulators.js";
import { serverTlsOptions } from "../../src/simulators/tls-material.js";
import {
  apnsToken,
  appWith,
  dispatcherFor,
  fcmToken,
  pushMessage,
  receivedOnce,
  useDispatcher,
} from "./support.js";

describe("push dispatcher", () => {
  let simulators: Simulators;
  let dispatcher: PushDispatcher;
  let credentials: SimulatedAppCredentials;

  useDispatcher((world) => ({ simulators, dispatcher, credentials } = world));

  it("routes each target by provider and answers in the targets' order", async () => {
    const dead = fcmToken();
    simulators.scriptToken(dead, { kind: "dead" });
    const targets = [
      { provider: "apns_internal", token: apnsToken("sandbox") },
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
    // APNs answers only once the FCM outcome is told: told after both, it would never answer.
    const apns = await heldApnsEndpoint();
    const heldDispatcher = dispatcherFor(simulators, { apnsProductionEndpoint: apns.url });
    try {
      const told: [number, string][] = [];
      const outcomes = await heldDispatcher.send(
        appWith(credentials),
        pushMessage(),
        [
          { provider: "apns", token: apnsToken() },
          { provider: "gcm", token: fcmToken() },
        ],
        (index, outcome) => {
          told.push([index, outcome.status]);
          if (index === 1) apns.release();
        },
      );

      expect(outcomes.map((outcome) => outcome.status)).to.deep.equal(["sent", "sent"]);
      expect(told).to.deep.equal([
        [1, "sent"],
        [0, "sent"],
      ]);
    } finally {
      await heldDispatcher.close();
      await apns.close();
    }
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

/** An APNs endpoint that accepts every notification, but answers none until `release()`. */
async function heldApnsEndpoint(): Promise<ListeningServer & { release(): void }> {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const server = createSecureServer(serverTlsOptions(), (request, response) => {
    request.resume();
    void released.then(() => response.writeHead(200, { "apns-id": randomUUID() }).end());
  });
  return { ...(await listen(server, "https", "127.0.0.1", 0)), release };
}
