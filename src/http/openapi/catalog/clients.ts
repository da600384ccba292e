import { badgeResponseSchema, setBadgeSchema } from "../../schemas/badges.js";
import {
  deviceTokensResponseSchema,
  registerDeviceSchema,
  syncDevicesSchema,
  syncResponseSchema,
  syncTokenResponseSchema,
  unregisterDeviceSchema,
  unregisterOwnDevicesSchema,
  unregisterResponseSchema,
} from "../../schemas/devices.js";
import {
  changeChannelSettingsSchema,
  changeUserSettingsSchema,
  channelSettingsListResponseSchema,
  channelSettingsResponseSchema,
  userSettingsResponseSchema,
} from "../../schemas/notification-settings.js";
import { createSessionSchema, newSessionResponseSchema } from "../../schemas/sessions.js";
import { testNotificationResponseSchema, testNotificationSchema } from "../../schemas/test-notifications.js";
import type { Access, NamedSchema, Operation } from "../operation.js";
import { invalidRequest, rateLimited } from "./problems.js";

/** Signing in and out (docs/api.md, "Sessions"). */
const sessionOperations: Operation[] = [
  {
    method: "post",
    path: "/v1/sessions",
    tag: "Sessions",
    access: "apiKey",
    summary: "Sign a user in",
    description:
      "`auth_token` is a JWT (HS256) the customer server signs with the server key, `sub` = user_id; " +
      "required unless the app has `require_auth_token: false`. Limited per API key " +
      "(`RATE_LIMIT_SESSIONS_PER_MINUTE`).",
    body: { name: "CreateSession", schema: createSessionSchema },
    responses: {
      201: { description: "Signed in", body: { name: "NewSession", schema: newSessionResponseSchema } },
      401: { description: "Unknown API key, or a missing, expired or wrongly signed auth_token" },
      429: rateLimited,
    },
  },
  {
    method: "delete",
    path: "/v1/sessions/current",
    tag: "Sessions",
    access: "session",
    summary: "Sign out",
    description: "Removes the tokens registered through this session.",
    responses: { 204: { description: "Signed out" } },
  },
];

const devices = "Devices";
const deviceWriteLimit = "Limited per session (`RATE_LIMIT_DEVICE_WRITES_PER_MINUTE`).";

/** The device registry (docs/api.md, "Devices"). */
const deviceOperations: Operation[] = [
  {
    method: "post",
    path: "/v1/users/@me/devices",
    tag: devices,
    access: "session",
    summary: "Register a device token",
    description:
      "Binds the device (its `device_id`, else the session's, else its token) to the caller alone: " +
      `last write wins. ${deviceWriteLimit}`,
    body: { name: "RegisterDevice", schema: registerDeviceSchema },
    responses: { 204: { description: "Registered" }, 429: rateLimited },
  },
  {
    method: "get",
    path: "/v1/users/@me/devices",
    tag: devices,
    access: "session",
    summary: "List the caller's tokens",
    responses: {
      200: {
        description: "The caller's tokens by platform",
        body: { name: "DeviceTokens", schema: deviceTokensResponseSchema },
      },
    },
  },
  {
    method: "delete",
    path: "/v1/users/@me/devices",
    tag: devices,
    access: "session",
    summary: "Unregister the caller's tokens",
    description: `\`{provider, token}\`, \`{all: true}\`, or \`{all: false}\` / no body: this session's tokens. ${deviceWriteLimit}`,
    body: { name: "UnregisterOwnDevices", schema: unregisterOwnDevicesSchema, required: false },
    responses: { 204: { description: "Unregistered" }, 429: rateLimited },
  },
  {
    method: "get",
    path: "/v1/users/@me/devices/sync-token",
    tag: devices,
    access: "session",
    summary: "Issue a sync token for several accounts on one device",
    responses: {
      200: { description: "A sync token", body: { name: "SyncToken", schema: syncTokenResponseSchema } },
    },
  },
  {
    method: "put",
    path: "/v1/users/@me/devices/sync",
    tag: devices,
    access: "session",
    summary: "Register a token for every account signed in on the device",
    description: `Binds the token to the caller and to every account whose sync token is valid. ${deviceWriteLimit}`,
    body: { name: "SyncDevices", schema: syncDevicesSchema },
    responses: {
      200: {
        description: "Registered; the refused sync tokens",
        body: { name: "SyncResult", schema: syncResponseSchema },
      },
      429: rateLimited,
    },
  },
  {
    method: "post",
    path: "/v1/devices/unregister",
    tag: devices,
    access: "apiKey",
    summary: "Unregister a device without a session",
    description: "With `user_id`, only when the device is bound to that user; without, unconditionally.",
    body: { name: "UnregisterDevice", schema: unregisterDeviceSchema },
    responses: {
      200: {
        description: "Whether a device was unregistered",
        body: { name: "Unregistered", schema: unregisterResponseSchema },
      },
    },
  },
];

const userSettings: NamedSchema = { name: "UserNotificationSettings", schema: userSettingsResponseSchema };
const channelSettings: NamedSchema = { name: "ChannelSettings", schema: channelSettingsResponseSchema };

/** The same resources for the signed-in user and, on the server, for any user (docs/api.md, "Notification settings"). */
function notificationSettingsOperations(prefix: string, access: Access, whose: string): Operation[] {
  const tag = "Notification settings";
  const user = `${prefix}/notification-settings`;
  const channels = `${prefix}/channels/notification-settings`;
  const channel = `${prefix}/channels/{channel_id}/notification-settings`;
  // A user_id or channel_id in the path is checked like one in a body.
  const userIdChecked: Operation["responses"] = prefix.includes("{user_id}") ? { 400: invalidRequest } : {};
  // The client's own changes spend its session's write budget; the server's are not limited.
  const sessionWriteLimited: Operation["responses"] = prefix.includes("{user_id}")
    ? {}
    : { 429: rateLimited };
  return [
    {
      method: "get",
      path: user,
      tag,
      access,
      summary: `Read ${whose} notification settings`,
      responses: {
        200: { description: "Every module, at its default when never set", body: userSettings },
        ...userIdChecked,
      },
    },
    {
      method: "put",
      path: user,
      tag,
      access,
      summary: `Change ${whose} notification settings`,
      description:
        "Changes only what the body names: the switch, modules, snooze, quiet hours. " +
        "A bad time zone, day, time or date-time is a 400 naming the field, and nothing is changed.",
      body: { name: "ChangeUserSettings", schema: changeUserSettingsSchema },
      responses: {
        200: { description: "The settings after the change", body: userSettings },
        ...sessionWriteLimited,
      },
    },
    {
      method: "get",
      path: channels,
      tag,
      access,
      summary: `List ${whose} channels set apart from the default`,
      description: 'The channels whose level is not `all` or that are muted: a "muted chats" screen.',
      responses: {
        200: {
          description: "By channel id",
          body: { name: "ChannelSettingsList", schema: channelSettingsListResponseSchema },
        },
        ...userIdChecked,
      },
    },
    {
      method: "get",
      path: channel,
      tag,
      access,
      summary: `Read ${whose} settings of a channel`,
      responses: { 200: { description: "`all` unless changed", body: channelSettings }, 400: invalidRequest },
    },
    {
      method: "put",
      path: channel,
      tag,
      access,
      summary: `Change ${whose} settings of a channel`,
      description:
        "Any subset of `level`, `muted_until` and the v1 `enabled` (`false`: level `none`; `true`: level `all`, ending a mute).",
      body: { name: "ChangeChannelSettings", schema: changeChannelSettingsSchema },
      responses: {
        200: { description: "The settings after the change", body: channelSettings },
        ...sessionWriteLimited,
      },
    },
  ];
}

const badge: NamedSchema = { name: "Badge", schema: badgeResponseSchema };

/** A user's unread count, for the signed-in user and, on the server, for any user (docs/api.md, "Badges"). */
function badgeOperations(prefix: string, access: Access, whose: string): Operation[] {
  const tag = "Badges";
  const path = `${prefix}/badge`;
  const userIdChecked: Operation["responses"] = prefix.includes("{user_id}") ? { 400: invalidRequest } : {};
  return [
    {
      method: "get",
      path,
      tag,
      access,
      summary: `Read ${whose} unread count`,
      description: "0 until an event alerts the user, under the app's `badge: count`.",
      responses: { 200: { description: "The count", body: badge }, ...userIdChecked },
    },
    {
      method: "put",
      path,
      tag,
      access,
      summary: `Set ${whose} unread count`,
      description:
        "Typically `0` once the user has read everything. The next alert sends this count plus one. " +
        "A count that is negative, not whole or over 1000000 is a 400 naming `count`.",
      body: { name: "SetBadge", schema: setBadgeSchema },
      responses: { 200: { description: "The count set", body: badge }, 400: invalidRequest },
    },
  ];
}

/** A test notification to every device of a user (docs/api.md, "Test notifications"). */
function testNotificationOperation(prefix: string, access: Access, whose: string): Operation {
  return {
    method: "post",
    path: `${prefix}/test-notification`,
    tag: "Test notifications",
    access,
    summary: `Send a test notification to ${whose} devices`,
    description:
      "Sends at once to every device a message notification would reach, past the toggles, and answers each " +
      "provider's outcome; not retried. A dead token is removed. `would_suppress` names the toggle that would " +
      "stop a real message now. Limited per user (`RATE_LIMIT_TEST_NOTIFICATIONS_PER_USER_PER_MINUTE`).",
    body: { name: "TestNotification", schema: testNotificationSchema },
    responses: {
      200: {
        description: "Each device's outcome",
        body: { name: "TestNotificationResult", schema: testNotificationResponseSchema },
      },
      400: invalidRequest,
      429: rateLimited,
    },
  };
}

export const clientOperations: Operation[] = [
  ...sessionOperations,
  ...deviceOperations,
  ...notificationSettingsOperations("/v1/users/@me", "session", "the signed-in user's"),
  ...notificationSettingsOperations("/v1/apps/{app_id}/users/{user_id}", "app", "a user's"),
  ...badgeOperations("/v1/users/@me", "session", "the signed-in user's"),
  ...badgeOperations("/v1/apps/{app_id}/users/{user_id}", "app", "a user's"),
  testNotificationOperation("/v1/users/@me", "session", "the signed-in user's"),
  testNotificationOperation("/v1/apps/{app_id}/users/{user_id}", "app", "a user's"),
];
