import { createPrivateKey } from "node:crypto";
import { expect } from "chai";
import { SignJWT } from "jose";
import { generateAppCredentials } from "../../src/simulators/simulated-credentials.js";
import type { SimulatedAppCredentials, Simulators } from "../../src/simulators/simulators.js";
import { apnsToken, rawPost, useSimulators } from "./support.js";

describe("APNs simulator", () => {
  let simulators: Simulators;
  let credentials: SimulatedAppCredentials;

  useSimulators((world) => ({ simulators, credentials } = world));

  function providerToken(apns = credentials.apns): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: "ES256", kid: apns.keyId })
      .setIssuer(apns.teamId)
      .setIssuedAt()
      .sign(createPrivateKey(apns.privateKey));
  }

  /** A raw push; a `null` header is left out. */
  async function push(options: { token?: string; headers?: Record<string, string | null>; body?: unknown }) {
    const headers: Record<string, string | null> = {
      authorization: `bearer ${await providerToken()}`,
      "apns-topic": credentials.apns.bundleId,
      "apns-push-type": "alert",
      ...options.headers,
    };
    const response = await rawPost(
      simulators.apnsProduction.url,
      `/3/device/${options.token ?? apnsToken()}`,
      Object.fromEntries(
        Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== null),
      ),
      JSON.stringify(options.body ?? { aps: { alert: { title: "t", body: "b" } } }),
    );
    const body = response.body === "" ? {} : JSON.parse(response.body);
    return { status: response.status, headers: response.headers, reason: body.reason, body };
  }

  it("accepts a well-formed push and answers with an apns-id", async () => {
    const response = await push({});

    expect(response.status).to.equal(200);
    expect(response.headers["apns-id"]).to.match(/^[0-9a-f-]{36}$/);
  });

  it("wants a provider token signed by a registered key", async () => {
    const stranger = generateAppCredentials();

    const missing = await push({ headers: { authorization: null } });
    const forged = await push({ headers: { authorization: `bearer ${await providerToken(stranger.apns)}` } });

    expect([missing.status, missing.reason]).to.deep.equal([403, "MissingProviderToken"]);
    expect([forged.status, forged.reason]).to.deep.equal([403, "InvalidProviderToken"]);
  });

  it("checks the topic and its push type", async () => {
    const missing = await push({ headers: { "apns-topic": null } });
    const foreign = await push({ headers: { "apns-topic": "com.other.app" } });
    const voipAsAlert = await push({ headers: { "apns-topic": `${credentials.apns.bundleId}.voip` } });
    const noPushType = await push({ headers: { "apns-push-type": null } });

    expect([missing.status, missing.reason]).to.deep.equal([400, "MissingTopic"]);
    expect([foreign.status, foreign.reason]).to.deep.equal([400, "TopicDisallowed"]);
    expect([voipAsAlert.status, voipAsAlert.reason]).to.deep.equal([400, "InvalidPushType"]);
    expect([noPushType.status, noPushType.reason]).to.deep.equal([400, "InvalidPushType"]);
  });

  it("checks the device token and the payload", async () => {
    const badToken = await push({ token: "xyz" });
    const empty = await push({ body: { aps: {} } });
    const tooLarge = await push({ body: { aps: { alert: "x".repeat(4100) } } });
    const voipRoom = await push({
      headers: { "apns-topic": `${credentials.apns.bundleId}.voip`, "apns-push-type": "voip" },
      body: { aps: { alert: "x".repeat(4100) } },
    });

    expect([badToken.status, badToken.reason]).to.deep.equal([400, "BadDeviceToken"]);
    expect([empty.status, empty.reason]).to.deep.equal([400, "PayloadEmpty"]);
    expect([tooLarge.status, tooLarge.reason]).to.deep.equal([413, "PayloadTooLarge"]);
    expect(voipRoom.status).to.equal(200);
  });

  it("answers a dead token 410 Unregistered with a timestamp, and a flaky one 429 with Retry-After", async () => {
    const [dead, flaky] = [apnsToken(), apnsToken()];
    simulators.scriptToken(dead, { kind: "dead" });
    simulators.scriptToken(flaky, { kind: "flaky", failures: 1, status: 429, retryAfterSeconds: 3 });

    const gone = await push({ token: dead });
    const limited = await push({ token: flaky });
    const recovered = await push({ token: flaky });

    expect([gone.status, gone.reason]).to.deep.equal([410, "Unregistered"]);
    expect(gone.body.timestamp).to.be.a("number");
    expect([limited.status, limited.reason, limited.headers["retry-after"]]).to.deep.equal([
      429,
      "TooManyRequests",
      "3",
    ]);
    expect(recovered.status).to.equal(200);
  });

  it("lets tests wait for notifications", async () => {
    const token = apnsToken();
    simulators.scriptToken(token, { kind: "slow", delayMs: 50 });
    const expected = simulators.received.entries.length + 1;

    const [entries] = await Promise.all([simulators.received.waitFor(expected, 5000), push({ token })]);

    expect(entries.at(-1)?.token).to.equal(token);
  });
});
