import { isRecord } from "../http-exchange.js";
import { type GoogleError, invalidArgument } from "./google-errors.js";
import { checkMessage, fieldValue, type MessageSchema, string } from "./proto-json.js";

/** What FCM allows in an analytics label (FCM HTTP v1 reference, `FcmOptions`). */
const analyticsLabel = /^[a-zA-Z0-9-_.~%]{1,50}$/;

/** `message.fcm_options`, and the `analytics_label` every platform's own options share. */
export const fcmOptionsSchema: MessageSchema = {
  name: "google.firebase.fcm.v1.FcmOptions",
  fields: { analytics_label: string },
};

export function checkFcmOptions(options: unknown): GoogleError | undefined {
  if (options == null) return undefined;
  return (
    checkMessage(options, fcmOptionsSchema, "message.fcm_options") ??
    analyticsLabelProblem(options, "message.fcm_options")
  );
}

/** The analytics label of the (already well-typed) options at `path`, checked against FCM's pattern. */
export function analyticsLabelProblem(options: unknown, path: string): GoogleError | undefined {
  const label = isRecord(options) ? fieldValue(options, "analytics_label") : undefined;
  if (typeof label !== "string" || analyticsLabel.test(label)) return undefined;
  return invalidArgument(
    `${path}.analytics_label`,
    `Invalid analytics_label: ${JSON.stringify(label)}. It must match ${analyticsLabel.source}.`,
  );
}
