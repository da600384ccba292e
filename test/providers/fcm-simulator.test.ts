import { createPrivateKey } from "node:crypto";
import { expect } from "chai";
import { SignJWT } from "jose";
import { generateAppCredentials } from "../../src/simulators/simulated-credentials.js";
import type { SimulatedAppCredentials, Simulators } from "../../src/simulators/simulators.js";
import { fcmToken, ManualClock, rawPost, simulatedFcm, useSimulators } from "./support.js";

describe("FCM simulator", () => {
  const clock = new ManualClock();
  let simulators: Simulators;
  let credentials: SimulatedAppCredentials;
  let accessToken: string;

  useSimulators((world) => ({ simulators, credentials } = world), { clock: clock.now });

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

  it("validates a validate_only message without delivering it, and still refuses a bad one", async () => {
    const token = fcmToken();
    const validateOnly = (message: unknown) =>
      rawPost(
        simulators.fcm.url,
        sendPath(),
        { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
        JSON.stringify({ message, validate_only: true }),
      );

    const accepted = await validateOnly({ token, notification: { title: "t", body: "b" } });
    const refused = await validateOnly({ token, data: { k: 1 } });

    expect(accepted.status).to.equal(200);
    expect(JSON.parse(accepted.body).name).to.be.a("string");
    expect(refused.status).to.equal(400);
    expect(simulators.received.forToken(token)).to.have.length(0);
  });

  /** The field a 400 INVALID_ARGUMENT names, and its description, or the status when it is not one. */
  async function violation(message: Record<string, unknown>) {
    const response = await send({ token: fcmToken(), ...message });
    if (response.status !== 400) return { status: response.status };
    const { error } = JSON.parse(response.body);
    expect(error).to.include({ code: 400, status: "INVALID_ARGUMENT" });
    const [fcmError, badRequest] = error.details;
    expect(fcmError).to.deep.equal({
      "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
      errorCode: "INVALID_ARGUMENT",
    });
    expect(badRequest["@type"]).to.equal("type.googleapis.com/google.rpc.BadRequest");
    const [{ field, description }] = badRequest.fieldViolations;
    expect(error.message).to.equal(description);
    return { field, description };
  }

  it("reads android, apns, webpush and fcm_options as Google's JSON parser does, naming the bad field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ android: { colour: "#ff0000" } }, "message.android"],
      [{ android: { priority: "URGENT" } }, "message.android.priority"],
      [{ android: { ttl: "3.5" } }, "message.android.ttl"],
      [{ android: { collapse_key: 7 } }, "message.android.collapse_key"],
      [{ android: { direct_boot_ok: "true" } }, "message.android.direct_boot_ok"],
      [{ android: { data: { n: 1 } } }, "message.android.data[0].value"],
      [{ android: { notification: "hello" } }, "message.android.notification"],
      [
        { android: { notification: { body_loc_args: [1] } } },
        "message.android.notification.body_loc_args[0]",
      ],
      [{ android: { notification: { title: ["a", "b"] } } }, "message.android.notification"],
      [{ android: { notification: { visibility: "HIDDEN" } } }, "message.android.notification.visibility"],
      [
        { android: { notification: { notification_count: 1.5 } } },
        "message.android.notification.notification_count",
      ],
      [{ android: { notification: { event_time: "yesterday" } } }, "message.android.notification.event_time"],
      [
        { android: { notification: { vibrate_timings: ["1s", "fast"] } } },
        "message.android.notification.vibrate_timings[1]",
      ],
      [{ android: { notification: { color: "red" } } }, "message.android.notification.color"],
      [
        { android: { notification: { light_settings: { color: { red: 1 }, light_on_duration: "1s" } } } },
        "message.android.notification.light_settings.light_off_duration",
      ],
      [
        { android: { fcm_options: { analytics_label: "x".repeat(51) } } },
        "message.android.fcm_options.analytics_label",
      ],
      [{ apns: { headers: { "apns-priority": 10 } } }, "message.apns.headers[0].value"],
      [{ apns: { payload: "aps" } }, "message.apns.payload"],
      [{ apns: { payload: { badge: 1 } } }, "message.apns.payload"],
      [{ apns: { fcm_options: { image: 3 } } }, "message.apns.fcm_options.image"],
      [{ webpush: { data: { n: 1 } } }, "message.webpush.data[0].value"],
      [{ webpush: { notification: "hello" } }, "message.webpush.notification"],
      [{ webpush: { fcm_options: { link: "http://example.com/c1" } } }, "message.webpush.fcm_options.link"],
      [{ fcm_options: { analytics_label: "two words" } }, "message.fcm_options.analytics_label"],
      [{ fcmOptions: { label: "x" } }, "message.fcm_options"],
    ];

    const fields = [];
    for (const [message] of cases) fields.push((await violation(message)).field);

    expect(fields).to.deep.equal(cases.map(([, field]) => field));
  });

  it("words its refusals as Google does", async () => {
    expect(await violation({ android: { colour: "#ff0000" } })).to.deep.equal({
      field: "message.android",
      description: `Invalid JSON payload received. Unknown name "colour" at 'message.android': Cannot find field.`,
    });
    expect(
      await violation({ android: { notification: { notification_priority: "PRIORITY_LOUD" } } }),
    ).to.deep.equal({
      field: "message.android.notification.notification_priority",
      description:
        "Invalid value at 'message.android.notification.notification_priority' " +
        `(type.googleapis.com/google.firebase.fcm.v1.AndroidNotification.NotificationPriority), "PRIORITY_LOUD"`,
    });
    expect(await violation({ android: { ttl: "-1s" } })).to.deep.equal({
      field: "message.android.ttl",
      description: `Invalid value at 'message.android.ttl' (type.googleapis.com/google.protobuf.Duration), "-1s"`,
    });
  });

  it("knows every field under its proto name and its JSON name, enums in any case or by number", async () => {
    const response = await send({
      token: fcmToken(),
      android: {
        collapse_key: "c1",
        priority: "high",
        ttl: "3.5s",
        restrictedPackageName: "com.example",
        direct_boot_ok: true,
        bandwidthConstrainedOk: false,
        restricted_satellite_ok: null,
        fcmOptions: { analyticsLabel: "chat_v1" },
        notification: {
          title: "t",
          color: "#00ff7f",
          notificationPriority: "PRIORITY_MAX",
          visibility: 2,
          notification_count: "3",
          event_time: "2026-01-01T10:00:00.5Z",
          vibrateTimings: ["0.1s", "1s"],
          light_settings: {
            color: { red: 1, green: "0.5", blue: 0 },
            lightOnDuration: "1s",
            light_off_duration: "2s",
          },
          proxy: "if_priority_lowered",
          bypass_proxy_notification: true,
        },
      },
      apns: {
        headers: { "apns-priority": "10" },
        payload: { aps: { badge: 1 }, k: [1] },
        fcm_options: { image: "https://x" },
      },
      webpush: {
        headers: { TTL: "60" },
        data: { k: "v" },
        notification: { requireInteraction: true },
        fcmOptions: { link: "https://example.com/c1" },
      },
      fcm_options: { analytics_label: "a-b_c.d~e%f" },
    });

    expect(response.status).to.equal(200);
  });

  it("refuses a token FCM cannot have issued, with Google's body for it", async () => {
    const statuses = [];
    for (const token of [
      "not a token",
      "f1:APA91b",
      `f1:APA91b${"x".repeat(5000)}`,
      `f1:BPB91b${"x".repeat(140)}`,
    ]) {
      const response = await send({ token, data: { k: "v" } });
      statuses.push(response.status);
      expect(JSON.parse(response.body)).to.deep.equal({
        error: {
          code: 400,
          message: "The registration token is not a valid FCM registration token",
          status: "INVALID_ARGUMENT",
          details: [
            { "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode: "INVALID_ARGUMENT" },
          ],
        },
      });
    }

    expect(statuses).to.deep.equal([400, 400, 400, 400]);
  });

  it("stops taking an access token an hour after it issued it", async () => {
    const before = await send({ token: fcmToken(), data: { k: "v" } });
    clock.advance(3600_000);
    const after = await send({ token: fcmToken(), data: { k: "v" } });

    expect(before.status).to.equal(200);
    expect(after.status).to.equal(401);
    expect(JSON.parse(after.body).error.status).to.equal("UNAUTHENTICATED");
  });
});
