import { createPrivateKey } from "node:crypto";
import { z } from "zod";
import {
  badgeModes,
  otherEventsChoices,
  quietDeliveries,
  type StatusCallbackSettings,
  statusCallbackTypes,
  webhookBreakerDefaults,
} from "../../domain/apps/app.js";
import type { WebhookChange, WebhookInput } from "../../domain/apps/app-service.js";
import { liveEventTypes } from "../../domain/events/live-event.js";
import { builtInLocale, localeSchema } from "../../domain/templates/locale.js";

function isPrivateKeyPem(pem: string): boolean {
  try {
    createPrivateKey(pem);
    return true;
  } catch {
    return false;
  }
}

const privateKeyPem = z
  .string()
  .max(16384)
  .refine(isPrivateKeyPem, "must be a PEM private key (-----BEGIN PRIVATE KEY-----…)");

const webhookFallbackSchema = z
  .enum(["drop", "send"])
  .describe(
    "What happens when the webhook never gives a usable answer: send the proposed notification, or not",
  );

const callTargetSchema = z
  .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
  .max(2048)
  // Credentials in a URL are stored and shown in clear: the signature is what authenticates Pushgate.
  .refine((url) => !/^[a-z]+:\/\/[^/?#]*@/i.test(url), "must not carry a user name or password");

const eventTypeSchema = z.enum(liveEventTypes, { error: `use one of ${liveEventTypes.join(", ")}` });

const webhookEventTypesSchema = z
  .array(eventTypeSchema)
  .min(1, "must name at least one event type (null: every type)")
  .refine((types) => new Set(types).size === types.length, "must not name an event type twice")
  .nullable()
  .describe(
    "The event types forwarded to the webhook; the others follow `other_events`. null (the default): every type",
  );

const otherEventsSchema = z
  .enum(otherEventsChoices, { error: `use one of ${otherEventsChoices.join(", ")}` })
  .describe(
    "What happens to an event of a type not in `event_types`: `direct` (the gateway renders and sends it itself, as in direct mode) or `drop`",
  );

/** A week: the breaker's failure run is kept that long after its last failure. */
export const maxDisableAfterMinutes = 10080;

const disableAfterFailuresSchema = z
  .number({ error: "must be a number of calls" })
  .int("must be a whole number of calls")
  .min(1, "must be at least 1")
  .max(1_000_000, "must be at most 1000000")
  .describe("Consecutive failed calls that turn the webhook off, once they span `disable_after_minutes`");

const disableAfterMinutesSchema = z
  .number({ error: "must be a number of minutes" })
  .min(0, "must be 0 or more")
  .max(maxDisableAfterMinutes, `must be at most ${maxDisableAfterMinutes} (a week)`)
  .describe(
    "The least time, in minutes (to the second: 0.5 is 30 s), from the first to the last of those failures",
  );

export const webhookSettingsSchema = z.strictObject({
  url: callTargetSchema,
  timeout_ms: z.number().int().min(100).max(15000).optional(),
  fallback: webhookFallbackSchema.optional(),
  event_types: webhookEventTypesSchema.optional(),
  other_events: otherEventsSchema.optional(),
  disable_after_failures: disableAfterFailuresSchema.optional(),
  disable_after_minutes: disableAfterMinutesSchema.optional(),
  enabled: z
    .boolean()
    .optional()
    .describe(
      "`true` turns a webhook that is off back on at once; `false` turns it off (its events take the fallback, and it is not probed)",
    ),
});

const statusCallbackTypeSchema = z.enum(statusCallbackTypes, {
  error: `use one of ${statusCallbackTypes.join(", ")}`,
});

export const statusCallbackSchema = z
  .strictObject({
    url: callTargetSchema,
    events: z
      .array(statusCallbackTypeSchema)
      .min(1, "must name at least one callback type")
      .refine((events) => new Set(events).size === events.length, "must not name a callback type twice"),
  })
  .describe(
    "Where the gateway POSTs what became of tokens and events (signed with the webhook secret, like webhook deliveries), and which callback types; null: none",
  );

export const fcmServiceAccountSchema = z.looseObject({
  type: z.literal("service_account"),
  project_id: z.string().min(1).max(128),
  client_email: z.email(),
  private_key: privateKeyPem,
  token_uri: z.url().optional(),
});

export const apnsCredentialsSchema = z.strictObject({
  team_id: z.string().regex(/^[A-Z0-9]{10}$/, "must be the 10-character Apple team id"),
  key_id: z.string().regex(/^[A-Z0-9]{10}$/, "must be the 10-character key id of the .p8 key"),
  private_key: privateKeyPem,
  bundle_id: z
    .string()
    .regex(/^[A-Za-z0-9.-]+$/, "must be a bundle id such as com.acme.chat")
    .max(155),
});

/** RFC 8292: the contact a push service may reach about the app's requests. */
const webPushSchema = z
  .strictObject({
    subject: z
      .string()
      .max(512, "must be at most 512 characters")
      .regex(/^(mailto:\S+@\S+|https:\/\/\S+)$/, "must be a mailto: or https: URL"),
    vapid_public_key: z.string().max(200).optional(),
    vapid_private_key: z.string().max(200).optional(),
  })
  .superRefine((body, ctx) => {
    if ((body.vapid_public_key === undefined) !== (body.vapid_private_key === undefined)) {
      const missing = body.vapid_public_key === undefined ? "vapid_public_key" : "vapid_private_key";
      ctx.addIssue({
        code: "custom",
        path: [missing],
        message: "vapid_public_key and vapid_private_key go together",
      });
    }
  })
  .describe(
    "Web Push: the VAPID subject, and the app's own VAPID key pair (base64url) or none, and the gateway generates one",
  );

const quietDeliverySchema = z
  .enum(quietDeliveries, { error: `use one of ${quietDeliveries.join(", ")}` })
  .describe(
    "What happens to a notification a user's snooze or quiet hours hold back: `drop` it, or send it `silent` (no sound, no interruption)",
  );

const badgeSchema = z
  .enum(badgeModes, { error: `use one of ${badgeModes.join(", ")}` })
  .describe(
    "`count`: the gateway keeps each user's unread count (+1 per event that alerts them) and sends it as the app icon's badge; `off`: no badge",
  );

/** A burst longer than an hour would hide a new conversation behind an old count. */
export const maxBurstWindowSeconds = 3600;

const burstWindowSchema = z
  .number({ error: "must be a number of seconds" })
  .int("must be a whole number of seconds")
  .min(0, "must be 0 (off) or more")
  .max(maxBurstWindowSeconds, `must be at most ${maxBurstWindowSeconds} (one hour)`)
  .describe(
    "Seconds after a user's first message notification from a channel during which the channel's next message notifications replace it on the device, without sound, saying how many there were (`burst_body`); mentions and calls are never folded. 0: off",
  );

const defaultLocaleSchema = localeSchema.describe(
  "The language, BCP 47, of a recipient whose device and user name none (stored in canonical form)",
);

/** A variant's name, as registrations name it. */
export const variantNameSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,39}$/,
    "must be 1–40 lower-case letters, digits, _ or -, starting with a letter or digit",
  );

const fcmBlockSchema = z.strictObject({ service_account: fcmServiceAccountSchema });

/** One variant's provider blocks: each given replaces the variant's, null removes it, a block left out stays. */
const variantSchema = z.strictObject({
  fcm: fcmBlockSchema.nullable().optional(),
  apns: apnsCredentialsSchema.nullable().optional(),
  webpush: webPushSchema.nullable().optional(),
});

const variantsSchema = z
  .record(variantNameSchema, variantSchema.nullable())
  .describe(
    "Named credential sets (white-label or staging builds): a device registered with a variant's name is sent through its fcm, apns and webpush blocks, the app's own where it has none. A change names only the variants and blocks it changes; null removes a variant",
  );

const appFields = {
  name: z.string().trim().min(1).max(200),
  mode: z.enum(["direct", "webhook"]),
  push_enabled: z.boolean(),
  require_auth_token: z.boolean(),
  notification_ttl_seconds: z.number().int().min(0).max(2419200),
  quiet_delivery: quietDeliverySchema,
  badge: badgeSchema,
  burst_window_seconds: burstWindowSchema,
  default_locale: defaultLocaleSchema,
  webhook: webhookSettingsSchema.nullable(),
  status_callback: statusCallbackSchema.nullable(),
  fcm: fcmBlockSchema.nullable(),
  apns: apnsCredentialsSchema.nullable(),
  webpush: webPushSchema.nullable(),
  variants: variantsSchema,
};

export const createAppSchema = z.strictObject({
  ...appFields,
  mode: appFields.mode.default("direct"),
  push_enabled: appFields.push_enabled.default(true),
  require_auth_token: appFields.require_auth_token.default(true),
  notification_ttl_seconds: appFields.notification_ttl_seconds.optional(),
  quiet_delivery: appFields.quiet_delivery.default("drop"),
  badge: appFields.badge.default("count"),
  burst_window_seconds: appFields.burst_window_seconds.default(0),
  default_locale: appFields.default_locale.default(builtInLocale),
  webhook: appFields.webhook.optional(),
  status_callback: appFields.status_callback.optional(),
  fcm: appFields.fcm.optional(),
  apns: appFields.apns.optional(),
  webpush: appFields.webpush.optional(),
  variants: appFields.variants.optional(),
});

export const updateAppSchema = z
  .strictObject({ ...appFields, webhook: webhookSettingsSchema.partial().nullable() })
  .partial();

const isoTime = z.iso.datetime();

const fcmStatusSchema = z.union([
  z.object({ configured: z.literal(true), project_id: z.string() }),
  z.object({ configured: z.literal(false) }),
]);

const apnsStatusSchema = z.union([
  z.object({
    configured: z.literal(true),
    bundle_id: z.string(),
    team_id: z.string(),
    key_id: z.string(),
  }),
  z.object({ configured: z.literal(false) }),
]);

const webPushStatusSchema = z.union([
  z.object({
    configured: z.literal(true),
    subject: z.string(),
    vapid_public_key: z
      .string()
      .describe("The application server key a browser passes to `pushManager.subscribe`, base64url"),
  }),
  z.object({ configured: z.literal(false) }),
]);

/** An app as every answer shows it: no secrets, provider blocks without key material. */
export const appResponseSchema = z.object({
  id: z.string(),
  name: z.string(),
  mode: appFields.mode,
  push_enabled: z.boolean().describe("The network-level switch: false sends nothing for this app"),
  require_auth_token: z.boolean(),
  notification_ttl_seconds: z.number().int(),
  quiet_delivery: quietDeliverySchema,
  badge: badgeSchema,
  burst_window_seconds: burstWindowSchema,
  default_locale: z.string().describe("The language of a recipient whose device and user name none, BCP 47"),
  webhook: z
    .object({
      url: z.string(),
      timeout_ms: z.number().int(),
      fallback: webhookFallbackSchema,
      event_types: webhookEventTypesSchema,
      other_events: otherEventsSchema,
      disable_after_failures: disableAfterFailuresSchema,
      disable_after_minutes: disableAfterMinutesSchema,
      enabled: z
        .boolean()
        .describe("false while the webhook is off: its events take the fallback without a call"),
      disabled_at: isoTime.nullable().describe("When the webhook was turned off; null while it is on"),
      disabled_reason: z
        .string()
        .nullable()
        .describe(
          "Why: its failures (it is then probed once a minute, and the first answer turns it back on) or an operator",
        ),
    })
    .nullable(),
  status_callback: z.object({ url: z.string(), events: z.array(statusCallbackTypeSchema) }).nullable(),
  fcm: fcmStatusSchema,
  apns: apnsStatusSchema,
  webpush: webPushStatusSchema,
  variants: z
    .record(
      z.string(),
      z.object({ fcm: fcmStatusSchema, apns: apnsStatusSchema, webpush: webPushStatusSchema }),
    )
    .describe(
      "Each variant's provider blocks, without key material; a block not configured uses the app's own",
    ),
  api_key: z.string().describe("Public key of the app's mobile and web clients (`pk_…`)"),
  created_at: isoTime,
  updated_at: isoTime,
});

/** The answer to `POST /v1/apps`: the only time the secrets are shown, except by rotation. */
export const createdAppResponseSchema = appResponseSchema.extend({
  server_key: z.string().describe("For the customer's server (`sk_…`)"),
  event_secret: z.string().describe("Signs live events (`whsec_…`)"),
  webhook_secret: z.string().describe("Signs what the gateway POSTs to the webhook (`whsec_…`)"),
});

export const appListResponseSchema = z.object({ apps: z.array(appResponseSchema) });

export const rotatedSecretResponseSchema = z.object({
  secret: z.string(),
  previous_valid_until: isoTime.describe("Until then the secret it replaced keeps working too"),
});

export type AppResponse = z.infer<typeof appResponseSchema>;
export type CreatedAppResponse = z.infer<typeof createdAppResponseSchema>;

type WebhookBody = z.infer<typeof webhookSettingsSchema> | Partial<z.infer<typeof webhookSettingsSchema>>;

/** A whole webhook from the API's block: the settings it leaves out at their defaults; none without a URL. */
export function webhookSettingsOf(
  body: WebhookBody | null | undefined,
  defaultTimeoutMs: number,
): WebhookInput | null {
  if (!body?.url) return null;
  return {
    url: body.url,
    timeoutMs: body.timeout_ms ?? defaultTimeoutMs,
    fallback: body.fallback ?? "drop",
    eventTypes: body.event_types ?? null,
    otherEvents: body.other_events ?? "direct",
    disableAfterFailures: body.disable_after_failures ?? webhookBreakerDefaults.disableAfterFailures,
    disableAfterMinutes: body.disable_after_minutes ?? webhookBreakerDefaults.disableAfterMinutes,
    enabled: body.enabled ?? true,
  };
}

/** What a `PATCH` changes of the webhook: only the settings its block names (null: no webhook). */
export function webhookChangeOf(body: WebhookBody | null): WebhookChange | null {
  if (!body) return null;
  const change: WebhookChange = {
    url: body.url,
    timeoutMs: body.timeout_ms,
    fallback: body.fallback,
    eventTypes: body.event_types,
    otherEvents: body.other_events,
    disableAfterFailures: body.disable_after_failures,
    disableAfterMinutes: body.disable_after_minutes,
    enabled: body.enabled,
  };
  for (const key of Object.keys(change) as (keyof WebhookChange)[]) {
    if (change[key] === undefined) delete change[key];
  }
  return change;
}

/** The status callback of the API's block (null or absent: none). */
export function statusCallbackOf(
  body: z.infer<typeof statusCallbackSchema> | null | undefined,
): StatusCallbackSettings | null {
  return body ? { url: body.url, events: body.events } : null;
}

export type CreateAppBody = z.infer<typeof createAppSchema>;
export type UpdateAppBody = z.infer<typeof updateAppSchema>;
