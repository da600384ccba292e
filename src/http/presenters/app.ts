import type { App, AppSecrets } from "../../domain/apps/app.js";
import type { AppResponse, CreatedAppResponse } from "../schemas/apps.js";

/** The public JSON of an app: provider blocks without key material. */
export function presentApp(app: App): AppResponse {
  return {
    id: app.id,
    name: app.name,
    mode: app.mode,
    push_enabled: app.pushEnabled,
    require_auth_token: app.requireAuthToken,
    notification_ttl_seconds: app.notificationTtlSeconds,
    quiet_delivery: app.quietDelivery,
    badge: app.badge,
    burst_window_seconds: app.burstWindowSeconds,
    default_locale: app.defaultLocale,
    webhook: app.webhook && {
      url: withoutCredentials(app.webhook.url),
      timeout_ms: app.webhook.timeoutMs,
      fallback: app.webhook.fallback,
      event_types: app.webhook.eventTypes,
      other_events: app.webhook.otherEvents,
      disable_after_failures: app.webhook.disableAfterFailures,
      disable_after_minutes: app.webhook.disableAfterMinutes,
      enabled: app.webhook.disabled === null,
      disabled_at: app.webhook.disabled?.at.toISOString() ?? null,
      disabled_reason: app.webhook.disabled?.reason ?? null,
    },
    status_callback: app.statusCallback && {
      url: withoutCredentials(app.statusCallback.url),
      events: app.statusCallback.events,
    },
    ...providerBlocks(app),
    variants: Object.fromEntries(
      Object.entries(app.variants).map(([name, variant]) => [name, providerBlocks(variant)]),
    ),
    api_key: app.apiKey,
    created_at: app.createdAt.toISOString(),
    updated_at: app.updatedAt.toISOString(),
  };
}

/** An app's or a variant's provider blocks, without key material. */
function providerBlocks(
  credentials: Pick<App, "fcm" | "apns" | "webpush">,
): Pick<AppResponse, "fcm" | "apns" | "webpush"> {
  const { fcm, apns, webpush } = credentials;
  return {
    fcm: fcm ? { configured: true, project_id: fcm.project_id } : { configured: false },
    apns: apns
      ? { configured: true, bundle_id: apns.bundleId, team_id: apns.teamId, key_id: apns.keyId }
      : { configured: false },
    webpush: webpush
      ? { configured: true, subject: webpush.subject, vapid_public_key: webpush.vapidPublicKey }
      : { configured: false },
  };
}

/** Only at creation: the secrets are not readable afterwards, except through rotation. */
export function presentCreatedApp(app: App, secrets: AppSecrets): CreatedAppResponse {
  return {
    ...presentApp(app),
    server_key: secrets.serverKey,
    event_secret: secrets.eventSecret,
    webhook_secret: secrets.webhookSecret,
  };
}

/** A URL stored before credentials in webhook URLs were refused is shown without them. */
function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return url;
  parsed.username = "";
  parsed.password = "";
  return parsed.toString();
}
