import { SignJWT } from "jose";
import type { createApp, TestGateway, TestResponse } from "../support/test-gateway.js";

export type TestApp = Awaited<ReturnType<typeof createApp>>;

export interface SignedIn {
  token: string;
  userId: string;
  sessionId: string;
}

/** A JWT as a customer server issues it: HS256 with the server key, `sub` = user. */
export function authToken(
  serverKey: string,
  userId: string,
  expiresIn: string | number = "10m",
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(serverKey));
}

export function createSession(
  gw: TestGateway,
  app: TestApp,
  body: Record<string, unknown>,
): Promise<TestResponse> {
  return gw.request("POST", "/v1/sessions", { headers: { "x-api-key": app.api_key }, body });
}

export async function signIn(
  gw: TestGateway,
  app: TestApp,
  userId: string,
  deviceId?: string,
): Promise<SignedIn> {
  const response = await createSession(gw, app, {
    user_id: userId,
    auth_token: await authToken(app.server_key, userId),
    ...(deviceId === undefined ? {} : { device_id: deviceId }),
  });
  if (response.status !== 201)
    throw new Error(`sign-in failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { token: response.body.session_token, userId, sessionId: response.body.session_id };
}

export function register(
  gw: TestGateway,
  session: SignedIn,
  body: Record<string, unknown>,
): Promise<TestResponse> {
  return gw.request("POST", "/v1/users/@me/devices", { token: session.token, body });
}

/** Registers and fails the test unless the gateway answers 204. */
export async function registered(
  gw: TestGateway,
  session: SignedIn,
  body: Record<string, unknown>,
): Promise<void> {
  const response = await register(gw, session, body);
  if (response.status !== 204)
    throw new Error(`registration failed: ${response.status} ${JSON.stringify(response.body)}`);
}

/** The caller's tokens by platform, as the device list gives them. */
export interface DeviceList {
  ios: string[];
  android: string[];
  web: string[];
  voip: string[];
}

async function deviceListOf(gw: TestGateway, session: SignedIn): Promise<TestResponse> {
  const response = await gw.request("GET", "/v1/users/@me/devices", { token: session.token });
  if (response.status !== 200)
    throw new Error(`listing failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response;
}

/** The tokens of the device list, without their languages. */
export async function devicesOf(gw: TestGateway, session: SignedIn): Promise<DeviceList> {
  const { locales: _, ...byPlatform } = (await deviceListOf(gw, session)).body;
  return byPlatform;
}

/** The language of each token of the device list. */
export async function localesOf(gw: TestGateway, session: SignedIn): Promise<Record<string, string | null>> {
  return (await deviceListOf(gw, session)).body.locales;
}

export function allTokens(list: DeviceList): string[] {
  return [...list.ios, ...list.android, ...list.web, ...list.voip];
}

let counter = 0;
/** A fresh push token: opaque, not hex, as FCM issues them. */
export function pushToken(label = "t"): string {
  counter += 1;
  return `${label}${counter}:APA91b${Math.random().toString(36).slice(2)}_-x`;
}

/** Registers an APNs token with its VoIP pair (one device); fails the test unless the gateway answers 204. */
export async function registeredWithVoip(
  gw: TestGateway,
  session: SignedIn,
): Promise<{ alert: string; voip: string }> {
  const alert = pushToken();
  const voip = pushToken();
  await registered(gw, session, {
    provider: "apns",
    token: alert,
    voip_provider: "apns_voip",
    voip_token: voip,
  });
  return { alert, voip };
}
