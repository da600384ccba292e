import { createPrivateKey } from "node:crypto";
import { expect } from "chai";
import { SignJWT } from "jose";
import { generateAppCredentials } from "../../src/simulators/simulated-credentials.js";
import type { SimulatedAppCredentials, Simulators } from "../../src/simulators/simulators.js";
import { fcmToken, rawPost, simulatedFcm, useSimulators } from "./support.js";

describe("FCM simulator", () => {
  let simulators: Simulators;
  let credentials: SimulatedAppCredentials;
  let accessToken: string;

  useSimulators((world) => ({ simulators, credentials } = world));

  before(async () => {
    const fcm = simulatedFcm(simulators);
    const messaging = fcm.messaging(credentials);
    accessToken = (await messaging.app.options.credential?.getAccessToken())?.access_token ?? "";
    await fcm.close();
  });

  const sendPath = () => `/v1/projects/${credentials.fcm.project_id}/messages:send`;

  function send(message: unknown, authorization = `Bearer ${accessToken}`) {
    return rawPost(
      simulators.fcm.url,
      sendPath(),
      { authorization, "content-type": "application/json" },
      JSON.stringify({ message }),
    );
  }

  it("issues a bearer token for a well-signed assertion and accepts a message with it", async () => {
    const token = fcmToken();

    const response = await send({ token, notification: { title: "t", body: "b" }, data: { k: "v" } });

    expect(response.status).to.equal(200);
    expect(JSON.parse(response.body).name).to.match(
      new RegExp(`^projects/${credentials.fcm.project_id}/messages/`),
    );
    expect(simulators.received.forToken(token)).to.have.length(1);
  });

  /** Asks the token endpoint for an access token with an assertion signed by `privateKey`. */
  async function exchange(privateKey: string, audience = "https://oauth2.googleapis.com/token") {
    const assertion = await new SignJWT({ scope: "https://www.googleapis.com/auth/firebase.messaging" })
      .setProtectedHeader({ alg: "RS256" })
      .setIssuer(credentials.fcm.client_email)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(createPrivateKey(privateKey));
    const response = await rawPost(
      simulators.fcm.url,
      "/token",
      { "content-type": "application/x-www-form-urlencoded" },
      new URLSearchParams({
        grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
        assertion,
      }).toString(),
    );
    return { status: response.status, body: JSON.parse(response.body) };
  }

  it("refuses an assertion signed with another key", async () => {
    const response = await exchange(generateAppCredentials().fcm.private_key);

    expect(response).to.deep.equal({
      status: 400,
      body: { error: "invalid_grant", error_description: "Invalid JWT Signature." },
    });
  });

  it("wants Google's token URL as the assertion's audience, whichever host it is sent to", async () => {
    const google = await exchange(credentials.fcm.private_key);
    const simulatorUrl = await exchange(credentials.fcm.private_key, `${simulators.fcm.url}/token`);

    expect(google.status).to.equal(200);
    expect(simulatorUrl).to.deep.equal({
      status: 400,
      body: {
        error: "invalid_grant",
        error_description:
          "Invalid JWT: Failed audience check. The right audience is https://oauth2.googleapis.com/token",
      },
    });
  });

  it("answers 401 UNAUTHENTICATED without a token it issued", async () => {
    const response = await send({ token: fcmToken(), data: { k: "v" } }, "Bearer ya29.forged");

    expect(response.status).to.equal(401);
    expect(JSON.parse(response.body).error).to.include({ code: 401, status: "UNAUTHENTICATED" });
  });

  it("answers 403 for another project's messages", async () => {
    const response = await rawPost(
      simulators.fcm.url,
      "/v1/projects/someone-else/messages:send",
      { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
      JSON.stringify({ message: { token: fcmToken() } }),
    );

    expect(response.status).to.equal(403);
    expect(JSON.parse(response.body).error.status).to.equal("PERMISSION_DENIED");
  });

  it("refuses data values that are not strings", async () => {
    const token = fcmToken();

    const response = await send({ token, data: { count: 3 } });

    expect(response.status).to.equal(400);
    const { error } = JSON.parse(response.body);
    expect(error).to.include({ code: 400, status: "INVALID_ARGUMENT" });
    expect(error.details[1].fieldViolations[0].field).to.equal("message.data[0].value");
    expect(simulators.received.forToken(token)).to.be.empty;
  });

  it("wants exactly one target", async () => {
    const none = await send({ data: { k: "v" } });
    const two = await send({ token: fcmToken(), topic: "news" });

    expect([none.status, two.status]).to.deep.equal([400, 400]);
  });

  it("refuses a payload over 4096 bytes", async () => {
    const response = await send({ token: fcmToken(), data: { blob: "x".repeat(4100) } });

    expect(response.status).to.equal(400);
    expect(JSON.parse(response.body).error.message).to.equal("Message is too big");
  });

  it("answers a dead token with UNREGISTERED in FCM's error details", async () => {
    const token = fcmToken();
    simulators.scriptToken(token, { kind: "dead" });

    const response = await send({ token, data: { k: "v" } });

    expect(response.status).to.equal(404);
    expect(JSON.parse(response.body).error.details).to.deep.equal([
      { "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode: "UNREGISTERED" },
    ]);
  });
});
