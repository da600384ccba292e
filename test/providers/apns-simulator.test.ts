import { createPrivateKey } from "node:crypto";
import { expect } from "chai";
import { SignJWT } from "jose";
import { generateAppCredentials } from "../../src/simulators/simulated-credentials.js";
import type { SimulatedAppCredentials, Simulators } from "../../src/simulators/simulators.js";
import {
  apnsToken,
  ManualClock,
  type RawSession,
  rawPost,
  rawSession,
  strangeApnsToken,
  useSimulators,
} from "./support.js";

describe("APNs simulator", () => {
  const clock = new ManualClock();
  let simulators: Simulators;
  let credentials: SimulatedAppCredentials;

  useSimulators((world) => ({ simulators, credentials } = world), { clock: clock.now });

  /** A provider token, issued `ageSeconds` ago by `apns`'s key for `apns`'s team. */
  function providerToken(apns = credentials.apns, ageSeconds = 0): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: "ES256", kid: apns.keyId })
      .setIssuer(apns.teamId)
      .setIssuedAt(Math.floor(clock.now() / 1000) - ageSeconds)
      .sign(createPrivateKey(apns.privateKey));
  }

  /** A raw push to production unless told otherwise, on a connection of its own unless given one; a `null` header is left out. */
  async function push(options: {
    token?: string;
    headers?: Record<string, string | null>;
    body?: unknown;
    to?: "apnsProduction" | "apnsSandbox";
    on?: RawSession;
  }) {
    const headers: Record<string, string | null> = {
      authorization: `bearer ${await providerToken()}`,
      "apns-topic": credentials.apns.bundleId,
      "apns-push-type": "alert",
      ...options.headers,
    };
    const send =
      options.on?.post ??
      ((...request: Parameters<RawSession["post"]>) =>
        rawPost(simulators[options.to ?? "apnsProduction"].url, ...request));
    const response = await send(
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

  it("wants each push type on the topic of its kind", async () => {
    const bundle = credentials.apns.bundleId;
    const topics: [string, string][] = [
      ["alert", bundle],
      ["background", bundle],
      ["voip", `${bundle}.voip`],
      ["complication", `${bundle}.complication`],
      ["fileprovider", `${bundle}.pushkit.fileprovider`],
      ["location", `${bundle}.location-query`],
      ["liveactivity", `${bundle}.push-type.liveactivity`],
      ["pushtotalk", `${bundle}.voip-ptt`],
      ["widgets", `${bundle}.push-type.widgets`],
    ];
    const mismatched: [string, string][] = [
      ["complication", bundle],
      ["fileprovider", `${bundle}.voip`],
      ["location", bundle],
      ["liveactivity", `${bundle}.complication`],
      ["alert", `${bundle}.push-type.liveactivity`],
      ["mdm", bundle],
    ];

    const answers = [];
    for (const [pushType, topic] of [...topics, ...mismatched]) {
      const response = await push({
        headers: { "apns-push-type": pushType, "apns-topic": topic, "apns-priority": "5" },
      });
      answers.push(response.reason ?? response.status);
    }

    expect(answers).to.deep.equal([...topics.map(() => 200), ...mismatched.map(() => "InvalidPushType")]);
  });

  it("refuses priority 10 for a background push", async () => {
    const urgent = await push({ headers: { "apns-push-type": "background", "apns-priority": "10" } });
    const quiet = await push({ headers: { "apns-push-type": "background", "apns-priority": "5" } });

    expect([urgent.status, urgent.reason]).to.deep.equal([400, "BadPriority"]);
    expect(quiet.status).to.equal(200);
  });

  it("refuses a device token of the other environment, or of none, as BadDeviceToken", async () => {
    const [production, sandbox, unknown] = [
      apnsToken("production"),
      apnsToken("sandbox"),
      strangeApnsToken(),
    ];

    const answers = [];
    for (const token of [production, sandbox, unknown]) {
      for (const to of ["apnsProduction", "apnsSandbox"] as const) {
        const response = await push({ token, to });
        answers.push(response.reason ?? response.status);
      }
    }

    expect(answers).to.deep.equal([
      200,
      "BadDeviceToken",
      "BadDeviceToken",
      200,
      "BadDeviceToken",
      "BadDeviceToken",
    ]);
  });

  it("refuses a provider token of another team or older than an hour", async () => {
    const otherTeam = { ...credentials.apns, teamId: "ZZZZZZZZZZ" };

    const stranger = await push({ headers: { authorization: `bearer ${await providerToken(otherTeam)}` } });
    const old = await push({
      headers: { authorization: `bearer ${await providerToken(credentials.apns, 3601)}` },
    });
    const lastMinute = await push({
      headers: { authorization: `bearer ${await providerToken(credentials.apns, 3540)}` },
    });

    expect([stranger.status, stranger.reason]).to.deep.equal([403, "InvalidProviderToken"]);
    expect([old.status, old.reason]).to.deep.equal([403, "ExpiredProviderToken"]);
    expect(lastMinute.status).to.equal(200);
  });

  it("refuses a token it accepted once its hour has passed, and one whose signature is not the key's", async () => {
    const token = await providerToken(credentials.apns);
    const forged = `${token.slice(0, token.lastIndexOf(".") + 1)}${"A".repeat(86)}`;
    const answers = [];
    for (const jwt of [token, forged, token]) {
      const answer = await push({ headers: { authorization: `bearer ${jwt}` } });
      answers.push(answer.reason ?? answer.status);
    }
    clock.advance(3601_000);
    const late = await push({ headers: { authorization: `bearer ${token}` } });
    expect([...answers, late.reason]).to.deep.equal([
      200,
      "InvalidProviderToken",
      200,
      "ExpiredProviderToken",
    ]);
  });

  it("lets a connection change to a token issued 20 minutes after its own, or replace an expired one", async () => {
    const connection = rawSession(simulators.apnsProduction.url);
    const other = rawSession(simulators.apnsProduction.url);
    const third = rawSession(simulators.apnsProduction.url);
    const withToken = async (on: RawSession, ageSeconds = 0) => {
      const answer = await push({
        headers: { authorization: `bearer ${await providerToken(credentials.apns, ageSeconds)}` },
        on,
      });
      return answer.reason ? `${answer.status} ${answer.reason}` : answer.status;
    };
    try {
      const answers = [await withToken(connection), await withToken(connection), await withToken(other)];
      clock.advance(20 * 60_000);
      answers.push(await withToken(connection));
      answers.push(await withToken(third, 3590));
      clock.advance(20_000);
      answers.push(await withToken(third, 3580));

      expect(answers).to.deep.equal([200, "429 TooManyProviderTokenUpdates", 200, 200, 200, 200]);
    } finally {
      for (const session of [connection, other, third]) session.close();
    }
  });
});
