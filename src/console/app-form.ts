import type { AppInput, AppPatch, WebhookChange } from "../domain/apps/app-service.js";
import { InvalidInputError } from "../domain/errors.js";
import {
  apnsCredentialsSchema,
  createAppSchema,
  fcmServiceAccountSchema,
  statusCallbackOf,
  type UpdateAppBody,
  updateAppSchema,
  webhookSettingsOf,
} from "../http/schemas/apps.js";
import type { ConsoleForm } from "./form-body.js";

export interface AppDefaults {
  notificationTtlSeconds: number;
  webhookTimeoutMs: number;
}

/** Empty optional number fields read as absent; anything else must be a number the schema takes. */
function numberField(form: ConsoleForm, name: string): number | undefined {
  const text = form.text(name);
  return text === "" ? undefined : Number(text);
}

/** The webhook block of the API's JSON, from the form: no URL means no webhook. */
function webhookJson(form: ConsoleForm) {
  const url = form.text("webhook_url");
  if (url === "") return null;
  const eventTypes = form.all("webhook_event_types");
  return {
    url,
    timeout_ms: numberField(form, "webhook_timeout_ms"),
    fallback: form.text("webhook_fallback") || undefined,
    // No box ticked: every type goes to the webhook.
    event_types: eventTypes.length ? eventTypes : null,
    other_events: form.text("webhook_other_events") || undefined,
    disable_after_failures: numberField(form, "webhook_disable_after_failures"),
    disable_after_minutes: numberField(form, "webhook_disable_after_minutes"),
  };
}

/** The status callback block of the API's JSON, from the form: no URL means none. */
function statusCallbackJson(form: ConsoleForm) {
  const url = form.text("status_callback_url");
  return url === "" ? null : { url, events: form.all("status_callback_events") };
}

/**
 * The settings form's webhook: every setting it shows, an empty field at its default. Never
 * whether it is on: that has its own buttons, and saving the settings must not turn it back on.
 */
function shownWebhookChange(body: UpdateAppBody["webhook"], defaults: AppDefaults): WebhookChange | null {
  const settings = webhookSettingsOf(body, defaults.webhookTimeoutMs);
  if (!settings) return null;
  const { enabled: _onOffIsNotAFormField, ...shown } = settings;
  return shown;
}

/** A new app from the create form, validated by the API's own schema. */
export function newAppInput(form: ConsoleForm, defaults: AppDefaults): AppInput {
  const body = createAppSchema.parse({
    name: form.text("name"),
    mode: form.text("mode") || undefined,
    webhook: webhookJson(form),
  });
  return {
    name: body.name,
    mode: body.mode,
    pushEnabled: body.push_enabled,
    requireAuthToken: body.require_auth_token,
    notificationTtlSeconds: body.notification_ttl_seconds ?? defaults.notificationTtlSeconds,
    quietDelivery: body.quiet_delivery,
    badge: body.badge,
    burstWindowSeconds: body.burst_window_seconds,
    defaultLocale: body.default_locale,
    webhook: webhookSettingsOf(body.webhook, defaults.webhookTimeoutMs),
    statusCallback: null,
    fcm: null,
    apns: null,
    webpush: null,
    variants: {},
  };
}

/** The settings form: name, mode, TTL, quiet delivery, badge, burst window, default locale, sign-in rule, webhook and status callback (the push and webhook switches have their own). */
export function settingsPatch(form: ConsoleForm, defaults: AppDefaults): AppPatch {
  const body = updateAppSchema.parse({
    name: form.text("name"),
    mode: form.text("mode"),
    notification_ttl_seconds: numberField(form, "notification_ttl_seconds"),
    quiet_delivery: form.text("quiet_delivery") || undefined,
    badge: form.text("badge") || undefined,
    burst_window_seconds: numberField(form, "burst_window_seconds"),
    default_locale: form.text("default_locale") || undefined,
    require_auth_token: form.text("require_auth_token") === "on",
    webhook: webhookJson(form),
    status_callback: statusCallbackJson(form),
  });
  return {
    name: body.name,
    mode: body.mode,
    notificationTtlSeconds: body.notification_ttl_seconds,
    quietDelivery: body.quiet_delivery,
    badge: body.badge,
    burstWindowSeconds: body.burst_window_seconds,
    defaultLocale: body.default_locale,
    requireAuthToken: body.require_auth_token,
    webhook: shownWebhookChange(body.webhook, defaults),
    statusCallback: statusCallbackOf(body.status_callback),
  };
}

function parsedJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidInputError("the file is not JSON", [{ path, message: "is not a JSON file" }]);
  }
}

/** A service account JSON file, as downloaded from the Firebase console. */
export async function fcmPatch(form: ConsoleForm): Promise<AppPatch> {
  const text = await form.file("service_account");
  if (text === "") {
    throw new InvalidInputError("choose a file", [
      { path: "service_account", message: "no file was chosen" },
    ]);
  }
  return { fcm: fcmServiceAccountSchema.parse(parsedJson(text, "service_account")) };
}

/** An APNs .p8 key with the identifiers Apple shows beside it. */
export async function apnsPatch(form: ConsoleForm): Promise<AppPatch> {
  const body = apnsCredentialsSchema.parse({
    team_id: form.text("team_id"),
    key_id: form.text("key_id"),
    bundle_id: form.text("bundle_id"),
    private_key: await form.file("private_key"),
  });
  return {
    apns: {
      teamId: body.team_id,
      keyId: body.key_id,
      privateKey: body.private_key,
      bundleId: body.bundle_id,
    },
  };
}
