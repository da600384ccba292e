import { expect } from "chai";
import type { PushDispatcher } from "../../src/providers/push-dispatcher.js";
import { generateAppCredentials } from "../../src/simulators/simulated-credentials.js";
import {
  type SimulatedAppCredentials,
  type Simulators,
  startSimulators,
} from "../../src/simulators/simulators.js";
import { appWith, dispatcherFor, fcmToken, pushMessage, receivedOnce, useDispatcher } from "./support.js";

describe("FCM sends through firebase-admin to the FCM simulator", () => {
  let simulators: Simulators;
  let dispatcher: PushDispatcher;
  let credentials: SimulatedAppCredentials;

  useDispatcher((world) => ({ simulators, dispatcher, credentials } = world));

  it("maps the notification as docs/api.md §9 says", async () => {
    const token = fcmToken();
    const expiresAt = new Date(Date.now() + 600_000);
    const message = pushMessage({
      expiresAt,
      collapseId: "evt_42",
      data: { event_id: "evt_42", deep_link: "acme://c/c1" },
    });

    const [outcome] = await dispatcher.send(appWith(credentials), message, [{ provider: "gcm", token }]);

    expect(outcome?.status).to.equal("sent");
    expect(outcome)
      .to.have.property("id")
      .that.matches(new RegExp(`^projects/${credentials.fcm.project_id}/messages/`));
    const received = receivedOnce(simulators, token);
    expect(received.simulator).to.equal("fcm");
    expect(received.sender).to.equal(credentials.fcm.client_email);
    const { android, ...rest } = received.payload as { android: { ttl: string } };
    expect(rest).to.deep.equal({
      token,
      notification: { title: "Alice (Team)", body: "hello" },
      data: { event_id: "evt_42", deep_link: "acme://c/c1" },
      apns: { headers: { "apns-collapse-id": "evt_42" } },
    });
    expect(android).to.deep.include({ priority: "high", notification: { tag: "evt_42" } });
    const ttlSeconds = Number.parseFloat(android.ttl);
    expect(ttlSeconds).to.be.above(500).and.at.most(600);
  });

  it("sends a call as a high-priority data-only message carrying title and body", async () => {
    const token = fcmToken();
    const message = pushMessage({
      call: true,
      title: "Alice",
      body: "Incoming video call",
      data: { event_id: "evt_7" },
    });

    const [outcome] = await dispatcher.send(appWith(credentials), message, [{ provider: "gcm", token }]);

    expect(outcome?.status).to.equal("sent");
    const payload = receivedOnce(simulators, token).payload;
    expect(payload).to.not.have.property("notification");
    expect(payload.data).to.deep.equal({ event_id: "evt_7", title: "Alice", body: "Incoming video call" });
    expect(payload.android).to.deep.include({ priority: "high" }).and.not.have.property("notification");
  });

  it("reports an unregistered token as invalid_token", async () => {
    const token = fcmToken();
    simulators.scriptToken(token, { kind: "dead" });

    const [outcome] = await dispatcher.send(appWith(credentials), pushMessage(), [
      { provider: "gcm", token },
    ]);

    expect(outcome?.status).to.equal("invalid_token");
    expect(simulators.received.forToken(token)).to.be.empty;
  });

  it("reports a rate-limited token as retry with the Retry-After delay, then sends it", async () => {
    const token = fcmToken();
    simulators.scriptToken(token, { kind: "flaky", failures: 1, status: 429, retryAfterSeconds: 7 });
    const app = appWith(credentials);

    const [first] = await dispatcher.send(app, pushMessage(), [{ provider: "gcm", token }]);
    const [second] = await dispatcher.send(app, pushMessage(), [{ provider: "gcm", token }]);

    expect(first).to.deep.include({ status: "retry", retryAfterMs: 7000 });
    expect(second?.status).to.equal("sent");
  });

  it("fails when the service does not know the app's service account", async () => {
    const unknown = generateAppCredentials();

    const outcomes = await dispatcher.send(appWith(unknown), pushMessage(), [
      { provider: "gcm", token: fcmToken() },
      { provider: "gcm", token: fcmToken() },
    ]);

    expect(outcomes.map((outcome) => outcome.status)).to.deep.equal(["failed", "failed"]);
    expect(outcomes[0]).to.have.property("reason").that.includes("invalid_grant");
  });

  it("signs each app's messages with that app's own service account", async () => {
    const other = simulators.registerApp();
    const [tokenA, tokenB] = [fcmToken(), fcmToken()];

    await Promise.all([
      dispatcher.send(appWith(credentials), pushMessage(), [{ provider: "gcm", token: tokenA }]),
      dispatcher.send(appWith(other), pushMessage(), [{ provider: "gcm", token: tokenB }]),
    ]);

    expect(receivedOnce(simulators, tokenA).sender).to.equal(credentials.fcm.client_email);
    expect(receivedOnce(simulators, tokenB).sender).to.equal(other.fcm.client_email);
  });

  it("switches to new credentials when the app is updated", async () => {
    const app = appWith(credentials);
    const replacement = simulators.registerApp({ projectId: credentials.fcm.project_id });
    const [before, after] = [fcmToken(), fcmToken()];

    await dispatcher.send(app, pushMessage(), [{ provider: "gcm", token: before }]);
    const updated = { ...app, fcm: replacement.fcm, updatedAt: new Date(app.updatedAt.getTime() + 1000) };
    const [outcome] = await dispatcher.send(updated, pushMessage(), [{ provider: "gcm", token: after }]);

    expect(outcome?.status).to.equal("sent");
    expect(receivedOnce(simulators, before).sender).to.equal(credentials.fcm.client_email);
    expect(receivedOnce(simulators, after).sender).to.equal(replacement.fcm.client_email);
  });

  it("keeps the newer credentials for a send holding an older copy of the app", async () => {
    const app = appWith(credentials);
    const replacement = simulators.registerApp({ projectId: credentials.fcm.project_id });
    const updated = { ...app, fcm: replacement.fcm, updatedAt: new Date(app.updatedAt.getTime() + 1000) };
    const [latest, stale] = [fcmToken(), fcmToken()];

    await dispatcher.send(updated, pushMessage(), [{ provider: "gcm", token: latest }]);
    await dispatcher.send(app, pushMessage(), [{ provider: "gcm", token: stale }]);

    expect(receivedOnce(simulators, stale).sender).to.equal(replacement.fcm.client_email);
  });

  it("fails every token of an app without FCM credentials", async () => {
    const outcomes = await dispatcher.send(appWith({ fcm: null, apns: credentials.apns }), pushMessage(), [
      { provider: "gcm", token: fcmToken() },
    ]);

    expect(outcomes).to.deep.equal([{ status: "failed", reason: "the app has no FCM credentials" }]);
  });
});

describe("FCM over an http:// endpoint", () => {
  it("sends through plain HTTP", async () => {
    const simulators = await startSimulators({ fcmPlaintext: true });
    const dispatcher = dispatcherFor(simulators);
    try {
      const credentials = simulators.registerApp();
      const token = fcmToken();
      expect(simulators.endpoints.fcmEndpoint).to.match(/^http:\/\//);

      const [outcome] = await dispatcher.send(appWith(credentials), pushMessage(), [
        { provider: "gcm", token },
      ]);

      expect(outcome?.status).to.equal("sent");
      expect(simulators.received.forToken(token)).to.have.length(1);
    } finally {
      await dispatcher.close();
      await simulators.close();
    }
  });
});
