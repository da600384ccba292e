import { expect } from "chai";
import { authToken, pushToken, registered, type SignedIn, signIn, type TestApp } from "../devices/client.js";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { createApp, type TestGateway } from "../support/test-gateway.js";

/**
 * A second app with data of every kind — an event, a device, settings, a channel — that no
 * request made for another app may change. Its identifiers are handed to the fuzzers, so that
 * they are tried against the first app's credentials.
 */
export interface Bystander {
  app: TestApp;
  userId: string;
  deviceId: string;
  pushToken: string;
  channelId: string;
  eventId: string;
  /** An auth token the bystander's customer server issued: valid for its app only. */
  authToken: string;
  session: SignedIn;
}

export async function seedBystander(gw: TestGateway): Promise<Bystander> {
  const app = await createApp(gw, { name: "Bystander" });
  const userId = "bystander-user";
  const deviceId = "bystander-device";
  const channelId = "bystander-channel";
  const session = await signIn(gw, app, userId, deviceId);
  const token = pushToken("bystander");
  await registered(gw, session, { provider: "gcm", token, device_id: deviceId });
  const asServer = { token: app.server_key };
  const writes = [
    gw.request("PUT", `/v1/apps/${app.id}/channels/${channelId}/members`, {
      ...asServer,
      body: { member_ids: [userId, "bystander-friend"] },
    }),
    gw.request("PUT", `/v1/apps/${app.id}/users/${userId}/notification-settings`, {
      ...asServer,
      body: { modules: [{ module: "social", enabled: false, role_filter: { only: ["fan"] } }] },
    }),
    gw.request("PUT", `/v1/apps/${app.id}/users/${userId}/channels/${channelId}/notification-settings`, {
      ...asServer,
      body: { enabled: false },
    }),
  ];
  for (const written of await Promise.all(writes))
    expect(written.status, JSON.stringify(written.body)).to.equal(200);
  const event = messageEvent({
    channel: { id: channelId, display_name: "Bystanders", member_ids: [userId, "bystander-friend"] },
  });
  expect((await postEvent(gw, app, event)).status).to.equal(202);
  await waitForEvent(gw, app, event.id);
  return {
    app,
    userId,
    deviceId,
    pushToken: token,
    channelId,
    eventId: event.id,
    authToken: await authToken(app.server_key, userId),
    session,
  };
}

/** Everything a client or the bystander's server can read of the bystander's data. */
export async function snapshotOf(gw: TestGateway, bystander: Bystander) {
  const { app, userId, channelId, session } = bystander;
  const asServer = { token: app.server_key };
  const reads = {
    app: gw.request("GET", `/v1/apps/${app.id}`, asServer),
    events: gw.request("GET", `/v1/apps/${app.id}/events`, asServer),
    event: gw.request("GET", `/v1/apps/${app.id}/events/${bystander.eventId}`, asServer),
    devices: gw.request("GET", "/v1/users/@me/devices", { token: session.token }),
    settings: gw.request("GET", `/v1/apps/${app.id}/users/${userId}/notification-settings`, asServer),
    channelSettings: gw.request(
      "GET",
      `/v1/apps/${app.id}/users/${userId}/channels/${channelId}/notification-settings`,
      asServer,
    ),
    members: gw.request("GET", `/v1/apps/${app.id}/channels/${channelId}/members`, asServer),
  };
  const answers = await Promise.all(
    Object.entries(reads).map(async ([name, answer]) => {
      const { status, body } = await answer;
      return [name, { status, body }] as const;
    }),
  );
  return Object.fromEntries(answers);
}
