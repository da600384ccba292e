import { createHmac, randomBytes } from "node:crypto";

/** The APNs environment a device token was issued for: a development build's or a released app's. */
export type ApnsEnvironment = "production" | "sandbox";

/**
 * A registration token in the shape FCM issues them: an instance id, a colon, then `APA91b` and
 * base64url text (tokens from before instance ids have the second part only).
 */
const fcmRegistrationTokenShape = /^(?:[\w-]{1,64}:)?APA91b[\w-]+$/;
const fcmRegistrationTokenLength = { min: 100, max: 4096 };

/** A token a phone could have received from FCM. */
export function fcmRegistrationToken(): string {
  return `${randomBytes(8).toString("base64url")}:APA91b${randomBytes(101).toString("base64url")}`;
}

/** Whether FCM could have issued `token`; anything else it refuses as not a registration token. */
export function isFcmRegistrationToken(token: string): boolean {
  return (
    token.length >= fcmRegistrationTokenLength.min &&
    token.length <= fcmRegistrationTokenLength.max &&
    fcmRegistrationTokenShape.test(token)
  );
}

/** Expo's push tokens: the legacy `ExponentPushToken[…]` and the newer `ExpoPushToken[…]`. */
const expoPushTokenShape = /^Expo(?:nent)?PushToken\[.+\]$/;

/** A token an app could have received from `getExpoPushTokenAsync()`. */
export function expoToken(): string {
  return `ExponentPushToken[${randomBytes(17).toString("base64url").slice(0, 22)}]`;
}

/** Whether `token` is shaped like an Expo push token; Expo refuses anything else. */
export function isExpoPushToken(token: string): boolean {
  return expoPushTokenShape.test(token);
}

// Apple's device tokens are opaque, and each is good in one environment only. The simulators'
// tokens end with a tag that names their environment, so that either simulator knows its own
// and the other's without sharing a registry.
const tagBytes = 4;

/** A 32-byte device token (64 hex characters) of `environment`. */
export function apnsDeviceToken(environment: ApnsEnvironment): string {
  const body = randomBytes(32 - tagBytes);
  return Buffer.concat([body, environmentTag(body, environment)]).toString("hex");
}

/**
 * The environment a well-formed (hex) device token was issued for by `apnsDeviceToken`, or
 * `undefined` for a token the simulators did not issue.
 */
export function apnsTokenEnvironment(token: string): ApnsEnvironment | undefined {
  const bytes = Buffer.from(token, "hex");
  const body = bytes.subarray(0, bytes.length - tagBytes);
  const tag = bytes.subarray(bytes.length - tagBytes);
  return (["production", "sandbox"] as const).find((environment) =>
    environmentTag(body, environment).equals(tag),
  );
}

function environmentTag(body: Buffer, environment: ApnsEnvironment): Buffer {
  return createHmac("sha256", `pushgate-apns-simulator-${environment}`)
    .update(body)
    .digest()
    .subarray(0, tagBytes);
}
