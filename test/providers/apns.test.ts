import http2, { type SecureClientSessionOptions } from "node:http2";
import apn from "@parse/node-apn";
import { expect } from "chai";
import { apnsOutcome } from "../../src/providers/apns/apns-outcome.js";
import { ApnsProviders } from "../../src/providers/apns/apns-providers.js";
import type { PushDispatcher } from "../../src/providers/push-dispatcher.js";
import type { PushTarget } from "../../src/providers/push-provider.js";
import { trustedContext } from "../../src/providers/trusted-context.js";
import { generateAppCredentials } from "../../src/simulators/simulated-credentials.js";
import {
  type SimulatedAppCredentials,
  type Simulators,
  startSimulators,
} from "../../src/simulators/simulators.js";
import {
  apnsToken,
  appWith,
  dispatcherFor,
  pushMessage,
  receivedOnce,
  strangeApnsToken,
  useDispatcher,
} from "./support.js";

describe("APNs sends through node-apn to the APNs simulators", () => {
  let simulators: Simulators;
  let dispatcher: PushDispatcher;
  let credentials: SimulatedAppCredentials;

  useDispatcher((world) => ({ simulators, dispatcher, credentials } = world));

  it("maps the notification as docs/api.md §9 says", async () => {
    const token = apnsToken();
    const expiresAt = new Date(Date.now() + 600_000);
    const message = pushMessage({
      expiresAt,
      collapseId: "evt_42",
      threadId: "c9",
      data: { event_id: "evt_42", deep_link: "acme://c/c9" },
    });

    const [outcome] = await dispatcher.send(appWith(credentials), message, [{ provider: "apns", token }]);

    expect(outcome?.status).to.equal("sent");
    expect(outcome).to.have.property("id").that.is.a("string");
    const received = receivedOnce(simulators, token);
    expect(received.simulator).to.equal("apns-production");
    expect(received.sender).to.equal(`${credentials.apns.teamId}/${credentials.apns.keyId}`);
    expect(received.headers).to.deep.include({
      "apns-topic": credentials.apns.bundleId,
      "apns-push-type": "alert",
      "apns-priority": "10",
      "apns-collapse-id": "evt_42",
      "apns-expiration": String(Math.floor(expiresAt.getTime() / 1000)),
    });
    expect(received.payload).to.deep.equal({
      event_id: "evt_42",
      deep_link: "acme://c/c9",
      aps: { alert: { title: "Alice (Team)", body: "hello" }, sound: "default", "thread-id": "c9" },
    });
  });

  it("bounds the collapse id to 64 bytes without splitting a character", async () => {
    const token = apnsToken();

    await dispatcher.send(appWith(credentials), pushMessage({ collapseId: "é".repeat(40) }), [
      { provider: "apns", token },
    ]);

    expect(receivedOnce(simulators, token).headers["apns-collapse-id"]).to.equal("é".repeat(32));
  });

  it("sends apns_internal tokens to the sandbox and apns tokens to production", async () => {
    const [production, sandbox] = [apnsToken("production"), apnsToken("sandbox")];

    const outcomes = await dispatcher.send(appWith(credentials), pushMessage(), [
      { provider: "apns_internal", token: sandbox },
      { provider: "apns", token: production },
    ]);

    expect(outcomes.map((outcome) => outcome.status)).to.deep.equal(["sent", "sent"]);
    expect(simulators.received.forToken(sandbox).map((entry) => entry.simulator)).to.deep.equal([
      "apns-sandbox",
    ]);
    expect(simulators.received.forToken(production).map((entry) => entry.simulator)).to.deep.equal([
      "apns-production",
    ]);
  });

  it("sends VoIP tokens as voip pushes to the bundle's .voip topic, in the right environment", async () => {
    const [production, sandbox] = [apnsToken("production"), apnsToken("sandbox")];

    await dispatcher.send(appWith(credentials), pushMessage({ call: true }), [
      { provider: "apns_voip", token: production },
      { provider: "apns_internal_voip", token: sandbox },
    ]);

    for (const [token, simulator] of [
      [production, "apns-production"],
      [sandbox, "apns-sandbox"],
    ] as const) {
      const received = receivedOnce(simulators, token);
      expect(received.simulator).to.equal(simulator);
      expect(received.headers).to.deep.include({
        "apns-topic": `${credentials.apns.bundleId}.voip`,
        "apns-push-type": "voip",
      });
    }
  });

  it("reports a token sent to the other environment, or issued by neither, as invalid_token, BadDeviceToken", async () => {
    const [production, sandbox, stranger] = [
      apnsToken("production"),
      apnsToken("sandbox"),
      strangeApnsToken(),
    ];

    const outcomes = await dispatcher.send(appWith(credentials), pushMessage(), [
      { provider: "apns", token: sandbox },
      { provider: "apns_internal", token: production },
      { provider: "apns_voip", token: sandbox },
      { provider: "apns_internal_voip", token: production },
      { provider: "apns", token: stranger },
      { provider: "apns_internal", token: stranger },
      { provider: "apns_internal", token: sandbox },
    ]);

    const refused = { status: "invalid_token", reason: "BadDeviceToken", providerStatus: "400" };
    expect(outcomes.slice(0, 6)).to.deep.equal(Array(6).fill(refused));
    expect(outcomes[6]?.status).to.equal("sent");
  });

  it("fails when the provider token names another team than the key's", async () => {
    const otherTeam = { fcm: credentials.fcm, apns: { ...credentials.apns, teamId: "ZZZZZZZZZZ" } };

    const [outcome] = await dispatcher.send(appWith(otherTeam), pushMessage(), [
      { provider: "apns", token: apnsToken("production") },
    ]);

    expect(outcome).to.deep.equal({
      status: "failed",
      reason: "403 InvalidProviderToken",
      providerStatus: "403",
    });
  });

  it("fails a push type on another push type's topic, or a background push at priority 10", async () => {
    const providers = new ApnsProviders({
      endpoints: { production: simulators.endpoints.apnsProductionEndpoint },
      secureContext: trustedContext(simulators.endpoints.caFile),
      maxStreamsInFlight: 10,
    });
    const { provider } = providers.connection(appWith(credentials), credentials.apns, "production");
    const notification = (pushType: apn.NotificationPushType, topic: string, priority = 10) => {
      const built = new apn.Notification({ alert: "score", topic, priority });
      built.pushType = pushType;
      return built;
    };
    const bundle = credentials.apns.bundleId;
    const send = (built: apn.Notification) => provider.send(built, apnsToken("production"));
    try {
      const onBundle = await send(notification("complication", bundle));
      const onItsTopic = await send(notification("complication", `${bundle}.complication`));
      const urgentBackground = await send(notification("background", bundle));
      const quietBackground = await send(notification("background", bundle, 5));

      expect(onBundle.failed[0]).to.deep.include({ status: 400, response: { reason: "InvalidPushType" } });
      expect(apnsOutcome(onBundle)).to.deep.equal({
        status: "failed",
        reason: "400 InvalidPushType",
        providerStatus: "400",
      });
      expect(apnsOutcome(urgentBackground)).to.deep.equal({
        status: "failed",
        reason: "400 BadPriority",
        providerStatus: "400",
      });
      expect([onItsTopic.sent.length, quietBackground.sent.length]).to.deep.equal([1, 1]);
    } finally {
      await providers.close();
    }
  });

  it("connects every app with the one TLS context: the CA list is not parsed again per connection", async () => {
    const connections: SecureClientSessionOptions[] = [];
    const connect = http2.connect;
    http2.connect = ((
      authority: string | URL,
      options: SecureClientSessionOptions,
      listener?: () => void,
    ) => {
      connections.push(options);
      return connect(authority, options, listener);
    }) as typeof http2.connect;
    const twoApps = dispatcherFor(simulators);
    try {
      for (const app of [appWith(simulators.registerApp()), appWith(simulators.registerApp())]) {
        const [outcome] = await twoApps.send(app, pushMessage(), [
          { provider: "apns", token: apnsToken("production") },
        ]);
        expect(outcome?.status).to.equal("sent");
      }
    } finally {
      http2.connect = connect;
      await twoApps.close();
    }

    expect(connections).to.have.length(2);
    const [first, second] = connections;
    expect(first?.secureContext).to.be.an("object");
    expect(second?.secureContext).to.equal(first?.secureContext);
    expect(first?.ca ?? undefined).to.equal(undefined);
  });

  it("reports an unregistered token and a malformed token as invalid_token", async () => {
    const dead = apnsToken();
    simulators.scriptToken(dead, { kind: "dead" });

    const outcomes = await dispatcher.send(appWith(credentials), pushMessage(), [
      { provider: "apns", token: dead },
      { provider: "apns", token: "not-a-hex-token" },
    ]);

    expect(outcomes).to.deep.equal([
      { status: "invalid_token", reason: "Unregistered", providerStatus: "410" },
      { status: "invalid_token", reason: "BadDeviceToken", providerStatus: "400" },
    ]);
  });

  it("reports an unavailable service as retry, then sends", async () => {
    const token = apnsToken();
    simulators.scriptToken(token, { kind: "flaky", failures: 1, status: 503 });
    const app = appWith(credentials);

    const [first] = await dispatcher.send(app, pushMessage(), [{ provider: "apns", token }]);
    const [second] = await dispatcher.send(app, pushMessage(), [{ provider: "apns", token }]);

    expect(first).to.deep.include({ status: "retry", reason: "ServiceUnavailable" });
    expect(second?.status).to.equal("sent");
    expect(simulators.received.forToken(token)).to.have.length(1);
  });

  it("fails when APNs does not know the app's key", async () => {
    const unknown = generateAppCredentials({ bundleId: credentials.apns.bundleId });

    const [outcome] = await dispatcher.send(appWith(unknown), pushMessage(), [
      { provider: "apns", token: apnsToken() },
    ]);

    expect(outcome).to.deep.equal({
      status: "failed",
      reason: "403 InvalidProviderToken",
      providerStatus: "403",
    });
  });

  it("does not let one app's key push to another app's bundle", async () => {
    const other = simulators.registerApp();
    const borrowed = { fcm: other.fcm, apns: { ...other.apns, bundleId: credentials.apns.bundleId } };

    const [outcome] = await dispatcher.send(appWith(borrowed), pushMessage(), [
      { provider: "apns", token: apnsToken() },
    ]);

    expect(outcome).to.deep.equal({ status: "failed", reason: "400 TopicDisallowed", providerStatus: "400" });
  });

  it("fails, without throwing, for a key that does not parse", async () => {
    const broken = {
      fcm: credentials.fcm,
      apns: {
        ...credentials.apns,
        privateKey: "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----",
      },
    };

    const [outcome] = await dispatcher.send(appWith(broken), pushMessage(), [
      { provider: "apns", token: apnsToken() },
    ]);

    expect(outcome?.status).to.equal("failed");
  });
});

describe("APNs with thousands of tokens in one send", () => {
  const maxStreams = 50;
  let simulators: Simulators;
  let dispatcher: PushDispatcher;

  before(async () => {
    simulators = await startSimulators();
    dispatcher = dispatcherFor(simulators, { apnsMaxStreamsInFlight: maxStreams });
  });

  after(async () => {
    await dispatcher.close();
    await simulators.close();
  });

  it("sends 2,000 tokens on a fresh connection, never more than the stream bound at once", async () => {
    const app = appWith(simulators.registerApp());
    const targets: PushTarget[] = Array.from({ length: 2000 }, () => ({
      provider: "apns",
      token: apnsToken(),
    }));

    const outcomes = await dispatcher.send(app, pushMessage(), targets);

    expect(outcomes.filter((outcome) => outcome.status !== "sent")).to.deep.equal([]);
    expect(new Set(simulators.received.entries.map((entry) => entry.token)).size).to.equal(2000);
    expect(simulators.apnsProduction.peakRequestsInFlight).to.be.at.most(maxStreams);
  });
});
