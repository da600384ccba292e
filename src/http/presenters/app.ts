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
    },
    fcm: app.fcm ? { configured: true, project_id: app.fcm.project_id } : { configured: false },
    apns: app.apns
      ? { configured: true, bundle_id: app.apns.bundleId, team_id: app.apns.teamId, key_id: app.apns.keyId }
      : { configured: false },
    webpush: app.webpush
      ? { configured: true, subject: app.webpush.subject, vapid_public_key: app.webpush.vapidPublicKey }
      : { configured: false },
    api_key: app.apiKey,
    created_at: app.createdAt.toISOString(),
    updated_at: app.updatedAt.toISOString(),
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
