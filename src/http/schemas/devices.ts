import { z } from "zod";
import {
  isApnsProvider,
  isVoipProvider,
  platformOf,
  platforms,
  tokenProviders,
} from "../../domain/devices/device.js";
import { localeSchema } from "../../domain/templates/locale.js";
import { variantNameSchema } from "./apps.js";
import { deviceIdSchema, userIdSchema } from "./identifiers.js";

const providerNames = "gcm (alias fcm), apns, apns_internal, apns_voip, apns_internal_voip, webpush, expo";

const providerSchema = z
  .enum([...tokenProviders, "fcm"], { error: `unknown provider; use one of ${providerNames}` })
  .transform((provider) => (provider === "fcm" ? "gcm" : provider));

const voipProviderSchema = z.enum(["apns_voip", "apns_internal_voip"], {
  error: "must be apns_voip or apns_internal_voip",
});

/** Opaque: APNs, FCM and web push tokens differ in format and length. */
const pushTokenSchema = z
  .string()
  .min(1, "must not be empty")
  .max(4096, "must be at most 4096 characters")
  .regex(/^\S*$/, "must not contain whitespace");

/** What `PushSubscription.toJSON()` gives in a browser (RFC 8030, RFC 8291). */
const maxEndpointLength = 2048;

function base64urlBytes(text: string): number | null {
  return /^[A-Za-z0-9_-]+={0,2}$/.test(text) ? Buffer.from(text, "base64url").length : null;
}

const subscriptionSchema = z.strictObject({
  endpoint: z
    .url({ protocol: /^https$/, error: "must be an https:// URL" })
    .max(maxEndpointLength, `must be at most ${maxEndpointLength} characters`),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({
    p256dh: z.string().refine((key) => base64urlBytes(key) === 65 && Buffer.from(key, "base64url")[0] === 4, {
      message: "must be an uncompressed P-256 public key, 65 bytes in base64url",
    }),
    auth: z.string().refine((secret) => base64urlBytes(secret) === 16, {
      message: "must be a 16-byte authentication secret in base64url",
    }),
  }),
});

const expoTokenPattern = /^Expo(nent)?PushToken\[[^\]\s]+\]$/;

const platformSchema = z.enum(platforms, { error: `must be one of ${platforms.join(", ")}` });

const deviceLocaleSchema = localeSchema
  .optional()
  .describe(
    "The device's language, BCP 47 (stored in canonical form); left out, the device follows the user's `locale`",
  );

/** A Web Push registration names its subscription, every other one its token; Expo tokens have their own shape. */
function checkToken(
  body: { provider: string; token?: string; subscription?: unknown },
  ctx: z.RefinementCtx,
): void {
  if (body.provider === "webpush") {
    if (body.subscription === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["subscription"],
        message: "a webpush registration needs its subscription",
      });
    if (body.token !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["token"],
        message: "a webpush registration sends its subscription, not a token",
      });
    return;
  }
  if (body.subscription !== undefined)
    ctx.addIssue({
      code: "custom",
      path: ["subscription"],
      message: "only a webpush registration has a subscription",
    });
  if (body.token === undefined) ctx.addIssue({ code: "custom", path: ["token"], message: "is required" });
  else if (body.provider === "expo" && !expoTokenPattern.test(body.token))
    ctx.addIssue({
      code: "custom",
      path: ["token"],
      message: "must be an Expo push token, ExponentPushToken[…]",
    });
}

export const registerDeviceSchema = z
  .strictObject({
    provider: providerSchema,
    token: pushTokenSchema.optional(),
    subscription: subscriptionSchema.optional(),
    voip_provider: voipProviderSchema.optional(),
    voip_token: pushTokenSchema.optional(),
    device_id: deviceIdSchema.optional(),
    platform: platformSchema.optional(),
    locale: deviceLocaleSchema,
    variant: variantNameSchema
      .optional()
      .describe(
        "The app variant (build) the device runs, one of the app's `variants`; left out, the app's own credentials",
      ),
  })
  .superRefine((body, ctx) => {
    checkToken(body, ctx);
    if (platformOf(body.provider, body.platform) === null) {
      ctx.addIssue({
        code: "custom",
        path: ["platform"],
        message: `${body.platform} is not a platform of provider ${body.provider}`,
      });
    }
    if ((body.voip_provider === undefined) !== (body.voip_token === undefined)) {
      const missing = body.voip_provider === undefined ? "voip_provider" : "voip_token";
      ctx.addIssue({ code: "custom", path: [missing], message: "voip_provider and voip_token go together" });
    }
    if (
      body.voip_provider !== undefined &&
      (!isApnsProvider(body.provider) || isVoipProvider(body.provider))
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["voip_provider"],
        message: "a VoIP token is only valid next to an apns or apns_internal token",
      });
    }
    if (body.voip_token !== undefined && body.voip_token === body.token) {
      ctx.addIssue({ code: "custom", path: ["voip_token"], message: "must differ from token" });
    }
  });

export const syncDevicesSchema = z
  .strictObject({
    provider: providerSchema,
    token: pushTokenSchema.optional(),
    subscription: subscriptionSchema.optional(),
    platform: platformSchema.optional(),
    locale: deviceLocaleSchema,
    variant: variantNameSchema
      .optional()
      .describe(
        "The app variant (build) the device runs, one of the app's `variants`; left out, the app's own credentials",
      ),
    push_sync_tokens: z
      .array(z.string().max(8192, "must be at most 8192 characters"))
      .max(100, "at most 100 sync tokens"),
  })
  .superRefine((body, ctx) => {
    checkToken(body, ctx);
    if (platformOf(body.provider, body.platform) === null) {
      ctx.addIssue({
        code: "custom",
        path: ["platform"],
        message: `${body.platform} is not a platform of provider ${body.provider}`,
      });
    }
  });

/** `{provider, token}`, `{all}`, or nothing (this session's tokens). */
export const unregisterOwnDevicesSchema = z
  .strictObject({
    provider: providerSchema.optional(),
    token: pushTokenSchema.optional(),
    all: z.boolean({ error: "must be true or false" }).optional(),
  })
  .superRefine((body, ctx) => {
    const byToken = body.provider !== undefined || body.token !== undefined;
    if (byToken && body.all !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["all"],
        message: "send either {provider, token} or {all}, not both",
      });
    }
    if (byToken && (body.provider === undefined || body.token === undefined)) {
      const missing = body.provider === undefined ? "provider" : "token";
      ctx.addIssue({ code: "custom", path: [missing], message: "provider and token go together" });
    }
  })
  .optional();

export const unregisterDeviceSchema = z
  .strictObject({
    device_id: deviceIdSchema.optional(),
    provider: providerSchema.optional(),
    token: pushTokenSchema.optional(),
    user_id: userIdSchema.optional(),
  })
  .superRefine((body, ctx) => {
    const byToken = body.provider !== undefined || body.token !== undefined;
    if (byToken === (body.device_id !== undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: "name the device by device_id or by {provider, token}",
      });
    } else if (byToken && (body.provider === undefined || body.token === undefined)) {
      const missing = body.provider === undefined ? "provider" : "token";
      ctx.addIssue({ code: "custom", path: [missing], message: "provider and token go together" });
    }
  });

export type RegisterDeviceBody = z.infer<typeof registerDeviceSchema>;
export type SyncDevicesBody = z.infer<typeof syncDevicesSchema>;

const tokenList = z.array(z.string());

/** The caller's push tokens by platform; VoIP (PushKit) tokens apart. */
export const deviceTokensResponseSchema = z.object({
  ios: tokenList,
  android: tokenList,
  web: tokenList,
  voip: tokenList,
  locales: z
    .record(z.string(), z.string().nullable())
    .describe(
      "By token: the language notifications to it are written in, the device's `locale`, else the user's; null: the app's `default_locale`",
    ),
});

export const syncTokenResponseSchema = z.object({
  token: z.string().describe("Proof, for 24 h by default, that the holder is signed in as this user"),
});

export const syncResponseSchema = z.object({
  invalid_push_sync_tokens: z
    .array(z.string())
    .describe("The sync tokens that were refused: expired, of another app, or not signed by the gateway"),
});

export const unregisterResponseSchema = z.object({
  unregistered: z.boolean().describe("Whether a device was found (and, with user_id, bound to that user)"),
});

export type DeviceTokensResponse = z.infer<typeof deviceTokensResponseSchema>;
