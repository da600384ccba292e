import { isRecord } from "../http-exchange.js";
import { analyticsLabelProblem } from "./fcm-options-rules.js";
import { type GoogleError, invalidArgument } from "./google-errors.js";
import {
  checkMessage,
  fieldValue,
  type MessageSchema,
  message,
  string,
  stringMap,
  struct,
} from "./proto-json.js";

/** `ApnsConfig` of the FCM HTTP v1 reference. */
const apnsConfig: MessageSchema = {
  name: "google.firebase.fcm.v1.ApnsConfig",
  fields: {
    headers: stringMap,
    payload: struct,
    fcm_options: message({
      name: "google.firebase.fcm.v1.ApnsFcmOptions",
      fields: { analytics_label: string, image: string },
    }),
    live_activity_token: string,
  },
};

const path = "message.apns";

/** The checks FCM makes on `message.apns`: the payload is APNs's JSON, its `aps` dictionary included. */
export function checkApnsConfig(apns: unknown): GoogleError | undefined {
  if (apns == null) return undefined;
  const problem = checkMessage(apns, apnsConfig, path);
  if (problem || !isRecord(apns)) return problem;
  const payload = fieldValue(apns, "payload");
  if (isRecord(payload) && !isRecord(payload.aps)) {
    return invalidArgument(`${path}.payload`, "Invalid APNs payload: it must hold an aps dictionary.");
  }
  return analyticsLabelProblem(fieldValue(apns, "fcm_options"), `${path}.fcm_options`);
}
