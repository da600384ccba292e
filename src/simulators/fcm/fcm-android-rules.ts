import { isRecord } from "../http-exchange.js";
import { analyticsLabelProblem, fcmOptionsSchema } from "./fcm-options-rules.js";
import { type GoogleError, invalidArgument } from "./google-errors.js";
import {
  bool,
  checkMessage,
  duration,
  enumeration,
  fieldValue,
  float,
  int32,
  type MessageSchema,
  message,
  repeated,
  string,
  stringMap,
  timestamp,
} from "./proto-json.js";

const lightSettings: MessageSchema = {
  name: "google.firebase.fcm.v1.LightSettings",
  fields: {
    color: message({
      name: "google.type.Color",
      fields: { red: float, green: float, blue: float, alpha: float },
    }),
    light_on_duration: duration,
    light_off_duration: duration,
  },
};

const androidNotification: MessageSchema = {
  name: "google.firebase.fcm.v1.AndroidNotification",
  fields: {
    title: string,
    body: string,
    icon: string,
    color: string,
    sound: string,
    tag: string,
    click_action: string,
    body_loc_key: string,
    body_loc_args: repeated(string),
    title_loc_key: string,
    title_loc_args: repeated(string),
    channel_id: string,
    ticker: string,
    sticky: bool,
    event_time: timestamp,
    local_only: bool,
    notification_priority: enumeration("google.firebase.fcm.v1.AndroidNotification.NotificationPriority", [
      "PRIORITY_UNSPECIFIED",
      "PRIORITY_MIN",
      "PRIORITY_LOW",
      "PRIORITY_DEFAULT",
      "PRIORITY_HIGH",
      "PRIORITY_MAX",
    ]),
    default_sound: bool,
    default_vibrate_timings: bool,
    default_light_settings: bool,
    vibrate_timings: repeated(duration),
    visibility: enumeration("google.firebase.fcm.v1.AndroidNotification.Visibility", [
      "VISIBILITY_UNSPECIFIED",
      "PRIVATE",
      "PUBLIC",
      "SECRET",
    ]),
    notification_count: int32,
    light_settings: message(lightSettings),
    image: string,
    bypass_proxy_notification: bool,
    proxy: enumeration("google.firebase.fcm.v1.AndroidNotification.Proxy", [
      "PROXY_UNSPECIFIED",
      "ALLOW",
      "DENY",
      "IF_PRIORITY_LOWERED",
    ]),
  },
};

/** `AndroidConfig` of the FCM HTTP v1 reference. */
const androidConfig: MessageSchema = {
  name: "google.firebase.fcm.v1.AndroidConfig",
  fields: {
    collapse_key: string,
    priority: enumeration("google.firebase.fcm.v1.AndroidMessagePriority", ["NORMAL", "HIGH"]),
    ttl: duration,
    restricted_package_name: string,
    data: stringMap,
    notification: message(androidNotification),
    fcm_options: message({ ...fcmOptionsSchema, name: "google.firebase.fcm.v1.AndroidFcmOptions" }),
    direct_boot_ok: bool,
    bandwidth_constrained_ok: bool,
    restricted_satellite_ok: bool,
  },
};

const path = "message.android";
const color = /^#[0-9a-fA-F]{6}$/;

/** The checks FCM makes on `message.android`. */
export function checkAndroidConfig(android: unknown): GoogleError | undefined {
  if (android == null) return undefined;
  const problem = checkMessage(android, androidConfig, path);
  if (problem || !isRecord(android)) return problem;
  return (
    notificationProblem(fieldValue(android, "notification")) ??
    analyticsLabelProblem(fieldValue(android, "fcm_options"), `${path}.fcm_options`)
  );
}

function notificationProblem(notification: unknown): GoogleError | undefined {
  if (!isRecord(notification)) return undefined;
  const iconColor = fieldValue(notification, "color");
  if (typeof iconColor === "string" && !color.test(iconColor)) {
    return invalidArgument(
      `${path}.notification.color`,
      `Invalid color: ${JSON.stringify(iconColor)}. The color must be expressed in #rrggbb format.`,
    );
  }
  const light = fieldValue(notification, "light_settings");
  const missing = isRecord(light)
    ? ["color", "light_on_duration", "light_off_duration"].find((field) => fieldValue(light, field) == null)
    : undefined;
  return missing === undefined
    ? undefined
    : invalidArgument(
        `${path}.notification.light_settings.${missing}`,
        `light_settings.${missing} is required.`,
      );
}
