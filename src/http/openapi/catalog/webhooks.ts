import type { SignedHeaders } from "../../../security/standard-webhooks.js";
import { answerSchema } from "../../../webhooks/customer-answer.js";
import { statusCallbackSchemas } from "../../schemas/status-callbacks.js";
import { webhookDeliverySchema } from "../../schemas/webhook-delivery.js";
import type { OutboundWebhook } from "../operation.js";

const signatureHeaders: Record<keyof SignedHeaders, string> = {
  "webhook-id":
    "Standard Webhooks message id (`msg_…`): the same for every attempt of one delivery, new when the event is replayed",
  "webhook-timestamp": "Unix seconds when this attempt was signed",
  "webhook-signature":
    '`v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` keyed with the app\'s webhook ' +
    "secret (the base64 after `whsec_`); two, space-separated, while a rotated-out secret still works",
};

const callbackSummaries = {
  "device.token_removed": "A provider reported a device's token dead, and the gateway removed it",
  "event.completed": "An event's run ended: `completed`, or `expired` when a notification ran out of time",
  "event.failed": "An event's run failed: a stage kept failing through its retries",
  "webhook.disabled":
    "The app's webhook was turned off by its failures (docs/api.md §10.4): its events take the fallback until a probe is answered",
} as const;

const callbackBodyNames = {
  "device.token_removed": "TokenRemovedCallback",
  "event.completed": "EventCompletedCallback",
  "event.failed": "EventFailedCallback",
  "webhook.disabled": "WebhookDisabledCallback",
} as const;

/** What the gateway POSTs to an app's `status_callback.url` (docs/api.md, "Status callbacks"). */
function statusCallbacks(): OutboundWebhook[] {
  return (Object.keys(statusCallbackSchemas) as (keyof typeof statusCallbackSchemas)[]).map((type) => ({
    name: `statusCallback.${type}`,
    tag: "Status callbacks",
    summary: callbackSummaries[type],
    description:
      `Sent to the app's \`status_callback.url\` when \`status_callback.events\` names \`${type}\`, signed ` +
      "with the app's webhook secret like a webhook delivery. At least once: a receiver should deduplicate " +
      "on `webhook-id`. Redirects are not followed; the URL obeys the webhook URL's rules.",
    headers: {
      ...signatureHeaders,
      "webhook-id": "`cb_…`: the same for every attempt of one callback",
      "user-agent": "`pushgate/<version>`",
    },
    body: { name: callbackBodyNames[type], schema: statusCallbackSchemas[type] },
    responses: {
      "2XX": { description: "Taken; the body is not read" },
      default: {
        description:
          "Any other status, no answer within `WEBHOOK_DEFAULT_TIMEOUT_MS`, or a connection error: called " +
          "again with exponential backoff (`STATUS_CALLBACK_RETRY_BASE_MS` × 2^(n-1)), 10 tries in all, " +
          "about an hour with the default; then given up",
      },
    },
  }));
}

/** What the gateway POSTs to a customer's server in webhook mode (docs/api.md, "Webhook mode"). */
export const outboundWebhooks: OutboundWebhook[] = [
  {
    name: "eventDelivery",
    tag: "Webhook mode",
    summary: "An event, forwarded to the app's webhook.url",
    description:
      "Every accepted event of an app in webhook mode of the types its `webhook.event_types` names (every " +
      "type by default), with the notification direct mode would send and its recipients. Redirects are " +
      "not followed; at most `WEBHOOK_APP_CONCURRENCY` calls per app are in flight. While the webhook is " +
      "off (docs/api.md §10.4), events take the fallback without a call, but for one probe per " +
      "`WEBHOOK_PROBE_INTERVAL_SECONDS`.",
    headers: { ...signatureHeaders, "user-agent": "`pushgate/<version>`" },
    body: { name: "WebhookDelivery", schema: webhookDeliverySchema },
    responses: {
      "2XX": {
        description:
          '`{"action": "send"}` sends the proposed notification to the proposed recipients. Given ' +
          "`notification` fields or `recipient_ids` replace the proposed ones (a new recipient list passes " +
          'the notification toggles again). `{"action": "drop"}` or an empty body sends nothing. Any other ' +
          "body (not JSON, an unknown field, over `WEBHOOK_RESPONSE_LIMIT_BYTES`) is recorded, not retried, " +
          "and the app's `webhook.fallback` applies.",
        body: { name: "CustomerAnswer", schema: answerSchema },
      },
      "204": { description: "Sends nothing" },
      default: {
        description:
          "Any other status, no answer within `webhook.timeout_ms`, or a connection error: called again " +
          "with exponential backoff and jitter, while another attempt can end a second before the " +
          "notification's TTL (or `WEBHOOK_MAX_ATTEMPTS` calls, when set); then `webhook.fallback` applies " +
          "(`send` the proposed notification, or `drop`).",
        headers: {
          "Retry-After": "Honoured when it asks for longer than the backoff: seconds or an HTTP date",
        },
      },
    },
  },
  ...statusCallbacks(),
];
