import {
  registerDeviceSchema,
  syncDevicesSchema,
  unregisterDeviceSchema,
  unregisterOwnDevicesSchema,
} from "../../schemas/devices.js";
import { changeUserSettingsSchema, channelSettingsSchema } from "../../schemas/notification-settings.js";
import { createSessionSchema } from "../../schemas/sessions.js";
import type { Access, Operation } from "../operation.js";

const rateLimited = "Too many requests: see `Retry-After`";

/** SPEC §4: signing in and out. */
const sessionOperations: Operation[] = [
  {
    method: "post",
    path: "/v1/sessions",
    tag: "Sessions",
    access: "apiKey",
    summary: "Sign a user in",
    description:
      "`auth_token` is a JWT (HS256) the customer server signs with the server key, `sub` = user_id.",
    body: { name: "CreateSession", schema: createSessionSchema },
    responses: { 201: "`{session_token, session_id, user_id, expires_at}`", 429: rateLimited },
  },
  {
    method: "delete",
    path: "/v1/sessions/current",
    tag: "Sessions",
    access: "session",
    summary: "Sign out",
    description: "Removes the tokens registered through this session.",
    responses: { 204: "Signed out" },
  },
];

const devices = "Devices";

/** SPEC §5.1–5.4: the device registry. */
const deviceOperations: Operation[] = [
  {
    method: "post",
    path: "/v1/users/@me/devices",
    tag: devices,
    access: "session",
    summary: "Register a device token",
    body: { name: "RegisterDevice", schema: registerDeviceSchema },
    responses: { 204: "Registered", 429: rateLimited },
  },
  {
    method: "get",
    path: "/v1/users/@me/devices",
    tag: devices,
    access: "session",
    summary: "List the caller's tokens",
    responses: { 200: "`{ios, android, web, voip}`" },
  },
  {
    method: "delete",
    path: "/v1/users/@me/devices",
    tag: devices,
    access: "session",
    summary: "Unregister the caller's tokens",
    description: "`{provider, token}`, `{all: true}`, or `{all: false}` / no body: this session's tokens.",
    body: { name: "UnregisterOwnDevices", schema: unregisterOwnDevicesSchema, required: false },
    responses: { 204: "Unregistered", 429: rateLimited },
  },
  {
    method: "get",
    path: "/v1/users/@me/devices/sync-token",
    tag: devices,
    access: "session",
    summary: "Issue a sync token for several accounts on one device",
    responses: { 200: "`{token}`" },
  },
  {
    method: "put",
    path: "/v1/users/@me/devices/sync",
    tag: devices,
    access: "session",
    summary: "Register a token for every account signed in on the device",
    body: { name: "SyncDevices", schema: syncDevicesSchema },
    responses: { 200: "`{invalid_push_sync_tokens}`", 429: rateLimited },
  },
  {
    method: "post",
    path: "/v1/devices/unregister",
    tag: devices,
    access: "apiKey",
    summary: "Unregister a device without a session",
    body: { name: "UnregisterDevice", schema: unregisterDeviceSchema },
    responses: { 200: "`{unregistered}`: how many tokens were removed" },
  },
];

/** SPEC §5.5: the same two resources for the signed-in user and, on the server, for any user. */
function notificationSettingsOperations(prefix: string, access: Access, whose: string): Operation[] {
  const tag = "Notification settings";
  const user = `${prefix}/notification-settings`;
  const channel = `${prefix}/channels/{channel_id}/notification-settings`;
  return [
    {
      method: "get",
      path: user,
      tag,
      access,
      summary: `Read ${whose} notification settings`,
      responses: { 200: "`{enabled, modules}`" },
    },
    {
      method: "put",
      path: user,
      tag,
      access,
      summary: `Change ${whose} notification settings`,
      description: "Changes only what the body names.",
      body: { name: "ChangeUserSettings", schema: changeUserSettingsSchema },
      responses: { 200: "`{enabled, modules}` after the change" },
    },
    {
      method: "get",
      path: channel,
      tag,
      access,
      summary: `Read whether ${whose} notifications of a channel are on`,
      responses: { 200: "`{enabled}`" },
    },
    {
      method: "put",
      path: channel,
      tag,
      access,
      summary: `Turn ${whose} notifications of a channel on or off`,
      body: { name: "ChannelSettings", schema: channelSettingsSchema },
      responses: { 200: "`{enabled}`" },
    },
  ];
}

export const clientOperations: Operation[] = [
  ...sessionOperations,
  ...deviceOperations,
  ...notificationSettingsOperations("/v1/users/@me", "session", "the signed-in user's"),
  ...notificationSettingsOperations("/v1/apps/{app_id}/users/{user_id}", "app", "a user's"),
];
