import { type App, webhookBreakerDefaults } from "../domain/apps/app.js";
import type { ConsoleForm } from "./form-body.js";

/** What the settings form shows: the app's settings, or what a refused form held. */
export interface SettingsFields {
  name: string;
  mode: string;
  notificationTtlSeconds: string;
  quietDelivery: string;
  badge: string;
  burstWindowSeconds: string;
  defaultLocale: string;
  requireAuthToken: boolean;
  webhookUrl: string;
  webhookTimeoutMs: string;
  webhookFallback: string;
  webhookEventTypes: string[];
  webhookOtherEvents: string;
  webhookDisableAfterFailures: string;
  webhookDisableAfterMinutes: string;
  statusCallbackUrl: string;
  statusCallbackEvents: string[];
}

export function settingsFieldsOfApp(app: App): SettingsFields {
  const webhook = app.webhook;
  return {
    name: app.name,
    mode: app.mode,
    notificationTtlSeconds: String(app.notificationTtlSeconds),
    quietDelivery: app.quietDelivery,
    badge: app.badge,
    burstWindowSeconds: String(app.burstWindowSeconds),
    defaultLocale: app.defaultLocale,
    requireAuthToken: app.requireAuthToken,
    webhookUrl: webhook?.url ?? "",
    webhookTimeoutMs: webhook ? String(webhook.timeoutMs) : "",
    webhookFallback: webhook?.fallback ?? "drop",
    webhookEventTypes: webhook?.eventTypes ?? [],
    webhookOtherEvents: webhook?.otherEvents ?? "direct",
    webhookDisableAfterFailures: String(
      webhook?.disableAfterFailures ?? webhookBreakerDefaults.disableAfterFailures,
    ),
    webhookDisableAfterMinutes: String(
      webhook?.disableAfterMinutes ?? webhookBreakerDefaults.disableAfterMinutes,
    ),
    statusCallbackUrl: app.statusCallback?.url ?? "",
    statusCallbackEvents: app.statusCallback?.events ?? [],
  };
}

export function settingsFieldsOfForm(form: ConsoleForm): SettingsFields {
  return {
    name: form.text("name"),
    mode: form.text("mode"),
    notificationTtlSeconds: form.text("notification_ttl_seconds"),
    quietDelivery: form.text("quiet_delivery"),
    badge: form.text("badge"),
    burstWindowSeconds: form.text("burst_window_seconds"),
    defaultLocale: form.text("default_locale"),
    requireAuthToken: form.text("require_auth_token") === "on",
    webhookUrl: form.text("webhook_url"),
    webhookTimeoutMs: form.text("webhook_timeout_ms"),
    webhookFallback: form.text("webhook_fallback"),
    webhookEventTypes: form.all("webhook_event_types"),
    webhookOtherEvents: form.text("webhook_other_events"),
    webhookDisableAfterFailures: form.text("webhook_disable_after_failures"),
    webhookDisableAfterMinutes: form.text("webhook_disable_after_minutes"),
    statusCallbackUrl: form.text("status_callback_url"),
    statusCallbackEvents: form.all("status_callback_events"),
  };
}

/** What the create form shows: empty, or what a refused form held. */
export interface NewAppFields {
  name: string;
  mode: string;
  webhookUrl: string;
}

export const emptyNewApp: NewAppFields = { name: "", mode: "direct", webhookUrl: "" };

export function newAppFieldsOfForm(form: ConsoleForm): NewAppFields {
  return { name: form.text("name"), mode: form.text("mode"), webhookUrl: form.text("webhook_url") };
}

/** The APNs form's identifiers: the stored ones, or what a refused upload held (the file is never kept). */
export interface ApnsFields {
  teamId: string;
  keyId: string;
  bundleId: string;
}

export function apnsFieldsOfForm(form: ConsoleForm): ApnsFields {
  return { teamId: form.text("team_id"), keyId: form.text("key_id"), bundleId: form.text("bundle_id") };
}
