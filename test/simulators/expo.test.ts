import { readFileSync } from "node:fs";
import { expect } from "chai";
import got from "got";
import { ExpoReceipts } from "../../src/providers/expo/expo-receipts.js";
import { ExpoSender } from "../../src/providers/expo/expo-sender.js";
import type { PushOutcome } from "../../src/providers/push-provider.js";
import { trustedContext } from "../../src/providers/trusted-context.js";
import { expoToken } from "../../src/simulators/device-tokens.js";
import { ExpoSimulator } from "../../src/simulators/expo/expo-simulator.js";
import { ReceivedLog } from "../../src/simulators/received-log.js";
import { type Simulators, startSimulators } from "../../src/simulators/simulators.js";
import { simulatorTls } from "../../src/simulators/tls-material.js";
import { TokenScripts } from "../../src/simulators/token-scripts.js";
import { pushMessage } from "../providers/support.js";

const secureContext = trustedContext(simulatorTls.caFile);

describe("Expo sends through Expo's push API to the Expo simulator", () => {
  let simulators: Simulators;
  let sender: ExpoSender;
  let receipts: ExpoReceipts;

  before(async () => {
    simulators = await startSimulators();
    const endpoint = simulators.endpoints.expoEndpoint;
    sender = new ExpoSender({ endpoint, secureContext, concurrency: 4 });
    receipts = new ExpoReceipts({ endpoint, secureContext });
  });
  after(async () => {
    await sender.close();
    await receipts.close();
    await simulators.close();
  });

  it("sends 150 tokens in two requests of at most 100, each received with the mapped fields", async () => {
    const tokens = Array.from({ length: 150 }, () => expoToken());
    const expiresAt = new Date(Date.now() + 600_000);
    const message = pushMessage({
      expiresAt,
      badge: 3,
      presentation: { android: { channel_id: "chat" }, apns: { category: "MESSAGE", mutable_content: true } },
    });
    const requestsBefore = simulators.expo.sendRequestSizes.length;

    const outcomes = await Promise.all(sender.send(message, tokens));

    expect(outcomes.map((outcome) => outcome.status)).to.deep.equal(tokens.map(() => "sent"));
    const sizes = simulators.expo.sendRequestSizes.slice(requestsBefore);
    expect(sizes).to.have.lengthOf(2);
    expect(sizes.every((size) => size <= 100)).to.equal(true);
    expect(sizes.reduce((sum, size) => sum + size, 0)).to.equal(150);
    for (const token of tokens) {
      const [received, ...more] = simulators.received.forToken(token);
      expect(more).to.be.empty;
      expect(received?.simulator).to.equal("expo");
      const { ttl, ...payload } = (received?.payload ?? {}) as { ttl?: number };
      expect(payload).to.deep.equal({
        to: token,
        title: "Alice (Team)",
        body: "hello",
        data: { event_id: "evt_1", event_type: "message.created", channel_id: "c1" },
        sound: "default",
        badge: 3,
        priority: "high",
        channelId: "chat",
        categoryId: "MESSAGE",
        mutableContent: true,
      });
      expect(ttl).to.be.above(590).and.at.most(600);
    }
  });

  it("sends a call data-only and content-available, without sound", async () => {
    const token = expoToken();

    const [outcome] = await Promise.all(
      sender.send(pushMessage({ call: true, title: "Alice", body: "Call" }), [token]),
    );

    expect(outcome?.status).to.equal("sent");
    const { ttl: _, ...payload } = simulators.received.forToken(token)[0]?.payload ?? {};
    expect(payload).to.deep.equal({
      to: token,
      data: {
        event_id: "evt_1",
        event_type: "message.created",
        channel_id: "c1",
        title: "Alice",
        body: "Call",
      },
      priority: "high",
      _contentAvailable: true,
    });
  });

  it("reports a token dead at send as invalid", async () => {
    const dead = expoToken();
    const alive = expoToken();
    simulators.scriptToken(dead, { kind: "dead" });

    const outcomes = await Promise.all(sender.send(pushMessage(), [dead, alive]));

    expect(outcomes[0]).to.deep.include({ status: "invalid_token" });
    expect(outcomes[1]?.status).to.equal("sent");
    expect(simulators.received.forToken(dead)).to.be.empty;
  });

  it("takes a token dead at receipt, then its receipt says it is invalid", async () => {
    const dead = expoToken();
    const alive = expoToken();
    simulators.expo.scriptReceipt(dead, "DeviceNotRegistered");

    const outcomes = await Promise.all(sender.send(pushMessage(), [dead, alive]));

    const ids = outcomes.map((outcome) => (outcome.status === "sent" ? outcome.id : undefined));
    expect(ids.every((id) => typeof id === "string")).to.equal(true);
    const checked = await receipts.check([...(ids as string[]), "00000000-0000-4000-8000-000000000000"]);
    expect([...checked.keys()]).to.have.members(ids as string[]);
    expect(checked.get(ids[0] as string)).to.deep.include({ status: "invalid_token" });
    expect(checked.get(ids[1] as string)).to.deep.equal({ status: "sent", id: ids[1], providerStatus: "ok" });
  });

  it("reads a rate-exceeded receipt as worth a retry", async () => {
    const token = expoToken();
    simulators.expo.scriptReceipt(token, "MessageRateExceeded");

    const [outcome] = await Promise.all(sender.send(pushMessage(), [token]));
    const id = outcome?.status === "sent" ? outcome.id : undefined;

    expect((await receipts.check([id as string])).get(id as string)).to.deep.include({ status: "retry" });
  });

  it("reports a malformed token as invalid, naming it", async () => {
    const [outcome] = await Promise.all(sender.send(pushMessage(), ["not-an-expo-token"]));

    expect(outcome).to.deep.equal({
      status: "invalid_token",
      reason: '"not-an-expo-token" is not a valid Expo push token',
      providerStatus: "DeviceNotRegistered",
    });
  });

  it("retries every token of a request refused for now, after its Retry-After", async () => {
    const flaky = expoToken();
    const other = expoToken();
    simulators.scriptToken(flaky, { kind: "flaky", failures: 1, status: 429, retryAfterSeconds: 7 });

    const first = await Promise.all(sender.send(pushMessage(), [flaky, other]));
    const second = await Promise.all(sender.send(pushMessage(), [flaky]));

    for (const outcome of first) expect(outcome).to.deep.include({ status: "retry", retryAfterMs: 7000 });
    expect(second[0]?.status).to.equal("sent");
  });

  it("refuses more than 100 notifications in one request, and a field of the wrong type", async () => {
    const post = (body: unknown) =>
      got.post(`${simulators.endpoints.expoEndpoint}/--/api/v2/push/send`, {
        json: body,
        https: { certificateAuthority: readFileSync(simulatorTls.caFile, "utf8") },
        throwHttpErrors: false,
        responseType: "json",
      });
    const tooMany = await post({ to: Array.from({ length: 101 }, () => expoToken()), body: "hi" });
    const badBadge = await post([{ to: expoToken(), badge: "3" }]);

    expect(tooMany.statusCode).to.equal(400);
    expect(tooMany.body).to.have.nested.property("errors[0].code", "PUSH_TOO_MANY_NOTIFICATIONS");
    expect(badBadge.statusCode).to.equal(400);
    expect(badBadge.body).to.have.nested.property("errors[0].code", "VALIDATION_ERROR");
    expect(badBadge.body).to.have.nested.property("errors[0].message", '"[0].badge" must be a number');
  });

  it("answers MessageTooBig for a payload over 4096 bytes", async () => {
    const [outcome] = await Promise.all(
      sender.send(pushMessage({ data: { blob: "x".repeat(5000) } }), [expoToken()]),
    );

    expect(outcome).to.deep.include({ status: "failed" });
    expect((outcome as Extract<PushOutcome, { status: "failed" }>).reason).to.match(/too big/i);
  });
});

describe("the Expo simulator with an access token required", () => {
  let simulator: ExpoSimulator;
  const received = new ReceivedLog();

  before(async () => {
    simulator = await ExpoSimulator.start({
      host: "127.0.0.1",
      port: 0,
      received,
      scripts: new TokenScripts(),
      accessTokens: ["expo-access-token"],
    });
  });
  after(() => simulator.close());

  it("refuses a request without it (401), and takes one with it", async () => {
    const sender = new ExpoSender({ endpoint: simulator.url, secureContext, concurrency: 1 });
    const token = expoToken();
    try {
      const [refused] = await Promise.all(sender.send(pushMessage(), [token]));
      const [taken] = await Promise.all(sender.send(pushMessage(), [token], "expo-access-token"));

      expect(refused?.status).to.equal("failed");
      expect((refused as Extract<PushOutcome, { status: "failed" }>).reason).to.match(
        /^Expo answered 401: UNAUTHORIZED/,
      );
      expect(taken?.status).to.equal("sent");
      expect(received.forToken(token)).to.have.lengthOf(1);
    } finally {
      await sender.close();
    }
  });
});
