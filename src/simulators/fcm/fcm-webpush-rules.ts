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

/** `WebpushConfig` of the FCM HTTP v1 reference. */
const webpushConfig: MessageSchema = {
  name: "google.firebase.fcm.v1.WebpushConfig",
  fields: {
    headers: stringMap,
    data: stringMap,
    notification: struct,
    fcm_options: message({
      name: "google.firebase.fcm.v1.WebpushFcmOptions",
      fields: { link: string, analytics_label: string },
    }),
  },
};

const path = "message.webpush";

/** The checks FCM makes on `message.webpush`: the link a click opens must be HTTPS. */
export function checkWebpushConfig(webpush: unknown): GoogleError | undefined {
  if (webpush == null) return undefined;
  const problem = checkMessage(webpush, webpushConfig, path);
  if (problem || !isRecord(webpush)) return problem;
  const options = fieldValue(webpush, "fcm_options");
  const link = isRecord(options) ? fieldValue(options, "link") : undefined;
  if (typeof link === "string" && !isHttpsUrl(link)) {
    return invalidArgument(
      `${path}.fcm_options.link`,
      `Invalid link: ${JSON.stringify(link)}. HTTPS is required.`,
    );
  }
  return analyticsLabelProblem(options, `${path}.fcm_options`);
}

function isHttpsUrl(text: string): boolean {
  try {
    return new URL(text).protocol === "https:";
  } catch {
    return false;
  }
}
