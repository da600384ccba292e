import { createPrivateKey, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:https";
import { expect } from "chai";
import webPush from "web-push";
import type { PushOutcome } from "../../src/providers/push-provider.js";
import { trustedContext } from "../../src/providers/trusted-context.js";
import { topicOf } from "../../src/providers/webpush/webpush-request.js";
import { WebPushSender } from "../../src/providers/webpush/webpush-sender.js";
import { generateVapidKeys } from "../../src/security/vapid-keys.js";
import {
  type Simulators,
  startSimulators,
  type WebPushSubscription,
} from "../../src/simulators/simulators.js";
import { simulatorTls } from "../../src/simulators/tls-material.js";
import { pushMessage } from "../providers/support.js";

const ca = readFileSync(simulatorTls.caFile, "utf8");

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP/1.1 POST, bypassing web-push, so a test can send what the library never would. */
function post(
  endpoint: string,
  headers: Record<string, string | number>,
  body: Buffer | null,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(endpoint, { method: "POST", headers, ca }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        text += chunk;
      });
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }),
      );
    });
    outgoing.on("error", reject);
    outgoing.end(body ?? undefined);
  });
}

/** An ES256 VAPID JWT signed with `keys`, with the claims a test chooses. */
function vapidJwt(keys: { publicKey: string; privateKey: string }, claims: Record<string, unknown>): string {
  const point = Buffer.from(keys.publicKey, "base64url");
  const key = createPrivateKey({
    key: {
      kty: "EC",
      crv: "P-256",
      d: keys.privateKey,
      x: point.subarray(1, 33).toString("base64url"),
      y: point.subarray(33).toString("base64url"),
    },
    format: "jwk",
  });
  const encode = (part: unknown) => Buffer.from(JSON.stringify(part)).toString("base64url");
  const signed = `${encode({ typ: "JWT", alg: "ES256" })}.${encode(claims)}`;
  const signature = sign("sha256", Buffer.from(signed), { key, dsaEncoding: "ieee-p1363" });
  return `${signed}.${signature.toString("base64url")}`;
}

describe("Web Push simulator", () => {
  const subject = "mailto:ops@example.com";
  const vapidKeys = generateVapidKeys();
  const credentials = { subject, ...vapidKeys };
  let simulators: Simulators;
  let sender: WebPushSender;

  before(async () => {
    simulators = await startSimulators();
    sender = new WebPushSender({
      secureContext: trustedContext(simulators.endpoints.caFile),
      concurrency: 4,
    });
  });
  after(async () => {
    await sender.close();
    await simulators.close();
  });

  async function sendOne(subscription: WebPushSubscription, overrides = {}): Promise<PushOutcome> {
    const [outcome] = sender.send(credentials, pushMessage(overrides), [subscription]);
    if (!outcome) throw new Error("no outcome");
    return outcome;
  }

  /** A request web-push would send to `subscription`, for a test to alter. */
  function validRequest(subscription: WebPushSubscription) {
    return webPush.generateRequestDetails(subscription, JSON.stringify({ title: "hi" }), {
      vapidDetails: credentials,
      contentEncoding: "aes128gcm",
      TTL: 60,
    });
  }

  it("delivers the decrypted notification with its TTL, Urgency and Topic", async () => {
    const subscription = simulators.subscribeWebPush(vapidKeys.publicKey);
    const message = pushMessage({ expiresAt: new Date(Date.now() + 600_500), badge: 3 });
    const [outcome] = sender.send(credentials, message, [subscription]);

    expect(await outcome).to.include({ status: "sent" });
    const [received] = simulators.received.forToken(subscription.endpoint);
    expect(received).to.deep.include({
      simulator: "webpush",
      sender: subject,
      headers: { ttl: "600", urgency: "normal", topic: topicOf(message.collapseId) },
      payload: {
        title: message.title,
        body: message.body,
        tag: message.collapseId,
        data: message.data,
        badge: 3,
      },
    });
    expect(received?.headers.topic).to.have.length(32);
  });

  it("marks calls high urgency and silent notifications low", async () => {
    const call = simulators.subscribeWebPush();
    const silent = simulators.subscribeWebPush();
    expect(await sendOne(call, { call: true })).to.include({ status: "sent" });
    expect(await sendOne(silent, { silent: true })).to.include({ status: "sent" });
    expect(simulators.received.forToken(call.endpoint)[0]?.headers.urgency).to.equal("high");
    expect(simulators.received.forToken(silent.endpoint)[0]?.headers.urgency).to.equal("low");
  });

  it("answers the web-push library 201 with a Location, and logs a non-JSON body as raw text", async () => {
    const subscription = simulators.subscribeWebPush();
    const result = await webPush.sendNotification(subscription, "plain words", {
      vapidDetails: credentials,
      contentEncoding: "aes128gcm",
      TTL: 0,
      urgency: "very-low",
      topic: "news",
      agent: new Agent({ ca }),
    });

    expect(result.statusCode).to.equal(201);
    expect(result.headers.location).to.match(new RegExp(`^${simulators.endpoints.webPushEndpoint}/m/`));
    expect(simulators.received.forToken(subscription.endpoint)[0]).to.deep.include({
      headers: { ttl: "0", urgency: "very-low", topic: "news" },
      payload: { raw: "plain words" },
    });
  });

  it("refuses a VAPID key other than the subscription's applicationServerKey with 403: failed", async () => {
    const subscription = simulators.subscribeWebPush(generateVapidKeys().publicKey);
    const outcome = await sendOne(subscription);
    expect(outcome.status).to.equal("failed");
    expect(outcome).to.have.property("reason").that.matches(/403/);
    expect(simulators.received.forToken(subscription.endpoint)).to.be.empty;
  });

  for (const [problem, claims] of [
    ["expired", { aud: "", exp: Math.floor(Date.now() / 1000) - 60, sub: subject }],
    ["for another push service", { aud: "https://push.example.net", exp: 0, sub: subject }],
    ["more than a day ahead", { aud: "", exp: Math.floor(Date.now() / 1000) + 25 * 3600, sub: subject }],
    ["from a subject that is no contact URL", { aud: "", exp: 0, sub: "ops@example.com" }],
  ] as const) {
    it(`refuses a VAPID JWT ${problem} with 401`, async () => {
      const subscription = simulators.subscribeWebPush(vapidKeys.publicKey);
      const details = validRequest(subscription);
      const jwt = vapidJwt(vapidKeys, {
        ...claims,
        aud: claims.aud || simulators.endpoints.webPushEndpoint,
        exp: claims.exp || Math.floor(Date.now() / 1000) + 3600,
      });
      const response = await post(
        subscription.endpoint,
        { ...details.headers, Authorization: `vapid t=${jwt}, k=${vapidKeys.publicKey}` },
        details.body,
      );
      expect(response.status).to.equal(401);
    });
  }

  it("accepts a JWT crafted like the failing ones but valid, so those fail for their claim", async () => {
    const subscription = simulators.subscribeWebPush(vapidKeys.publicKey);
    const details = validRequest(subscription);
    const jwt = vapidJwt(vapidKeys, {
      aud: simulators.endpoints.webPushEndpoint,
      exp: Math.floor(Date.now() / 1000) + 3600,
      sub: subject,
    });
    const response = await post(
      subscription.endpoint,
      { ...details.headers, Authorization: `vapid t=${jwt}, k=${vapidKeys.publicKey}` },
      details.body,
    );
    expect(response.status).to.equal(201);
  });

  it("refuses a request without Authorization with 401", async () => {
    const subscription = simulators.subscribeWebPush();
    const { Authorization: _, ...headers } = validRequest(subscription).headers;
    const response = await post(subscription.endpoint, headers, validRequest(subscription).body);
    expect(response.status).to.equal(401);
  });

  it("answers 410 for a dead subscription: invalid_token", async () => {
    const subscription = simulators.subscribeWebPush();
    simulators.scriptToken(subscription.endpoint, { kind: "dead" });
    expect(await sendOne(subscription)).to.include({ status: "invalid_token" });
  });

  it("answers 404 for an unknown subscription: invalid_token", async () => {
    const subscription = simulators.subscribeWebPush();
    const unknown = { ...subscription, endpoint: `${simulators.endpoints.webPushEndpoint}/push/nobody` };
    expect(await sendOne(unknown)).to.include({ status: "invalid_token" });
  });

  it("answers a flaky subscription 429 with Retry-After, then accepts: retry with retryAfterMs", async () => {
    const subscription = simulators.subscribeWebPush();
    simulators.scriptToken(subscription.endpoint, {
      kind: "flaky",
      failures: 1,
      status: 429,
      retryAfterSeconds: 7,
    });
    expect(await sendOne(subscription)).to.deep.include({ status: "retry", retryAfterMs: 7000 });
    expect(await sendOne(subscription)).to.include({ status: "sent" });
  });

  it("refuses a push without TTL with 400", async () => {
    const subscription = simulators.subscribeWebPush();
    const details = validRequest(subscription);
    const { TTL: _, ...headers } = details.headers;
    expect((await post(subscription.endpoint, headers, details.body)).status).to.equal(400);
    expect((await post(subscription.endpoint, details.headers, details.body)).status).to.equal(201);
  });

  it("refuses a body that does not decrypt with 400", async () => {
    const subscription = simulators.subscribeWebPush();
    const details = validRequest(subscription);
    const garbled = Buffer.from(details.body);
    garbled[garbled.length - 20] = (garbled[garbled.length - 20] ?? 0) ^ 0xff;
    const response = await post(subscription.endpoint, details.headers, garbled);
    expect(response.status).to.equal(400);
    expect(simulators.received.forToken(subscription.endpoint)).to.be.empty;
  });

  it("refuses a body without Content-Encoding aes128gcm with 415, and one over 4096 bytes with 413", async () => {
    const subscription = simulators.subscribeWebPush();
    const details = validRequest(subscription);
    const { "Content-Encoding": _, ...unencoded } = details.headers;
    expect((await post(subscription.endpoint, unencoded, details.body)).status).to.equal(415);
    const large = Buffer.concat([details.body, Buffer.alloc(4097)]);
    const headers = { ...details.headers, "Content-Length": large.length };
    expect((await post(subscription.endpoint, headers, large)).status).to.equal(413);
  });

  it("refuses a bad Urgency or Topic with 400", async () => {
    const subscription = simulators.subscribeWebPush();
    const details = validRequest(subscription);
    const badUrgency = { ...details.headers, Urgency: "urgent" };
    const badTopic = { ...details.headers, Topic: "a".repeat(33) };
    expect((await post(subscription.endpoint, badUrgency, details.body)).status).to.equal(400);
    expect((await post(subscription.endpoint, badTopic, details.body)).status).to.equal(400);
  });
});
