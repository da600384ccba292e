import { type App, type SecretKind, webhookBreakerDefaults } from "../../domain/apps/app.js";
import type { FieldError } from "../../domain/errors.js";
import { liveEventTypes } from "../../domain/events/live-event.js";
import { maxDisableAfterMinutes } from "../../http/schemas/apps.js";
import type { ConsoleLocals } from "../console-auth.js";
import { consoleBase } from "../console-auth.js";
import { html, type SafeHtml } from "../html.js";
import { csrfField, errorSummary, page, time } from "./layout.js";

export const secretLabels: Record<SecretKind, { slug: string; label: string; use: string }> = {
  server_key: { slug: "server-key", label: "Server key", use: "your server's API credential" },
  event_secret: {
    slug: "event-secret",
    label: "Event secret",
    use: "signs the events your chat backend sends",
  },
  webhook_secret: {
    slug: "webhook-secret",
    label: "Webhook secret",
    use: "verifies what Pushgate sends your webhook",
  },
};

function pushState(app: App): SafeHtml {
  return app.pushEnabled
    ? html`<span class="status-on">on</span>`
    : html`<span class="status-off">off</span>`;
}

function createForm(locals: ConsoleLocals): SafeHtml {
  return html`<h2 id="create-heading">Create an app</h2>
    <form method="post" action="${consoleBase}/apps" class="stack" aria-labelledby="create-heading">
      ${csrfField(locals)}
      <label for="new-name">Name</label>
      <input id="new-name" name="name" required maxlength="200">
      <label for="new-mode">Mode</label>
      <select id="new-mode" name="mode">
        <option value="direct">direct push (Pushgate renders and sends)</option>
        <option value="webhook">webhook (your server decides)</option>
      </select>
      <label for="new-webhook-url">Webhook URL <span class="hint">(required in webhook mode)</span></label>
      <input id="new-webhook-url" name="webhook_url" type="url">
      <button type="submit">Create app</button>
    </form>`;
}

export function appListPage(
  locals: ConsoleLocals,
  apps: App[],
  canCreate: boolean,
  errors: FieldError[] = [],
) {
  const rows = apps.map(
    (app) => html`<tr>
      <td><a href="${consoleBase}/apps/${app.id}">${app.name}</a></td>
      <td><code>${app.id}</code></td>
      <td>${app.mode}${app.webhook?.disabled ? html` <span class="status-off">webhook off</span>` : ""}</td>
      <td>${pushState(app)}</td>
      <td>${app.fcm ? "FCM" : ""} ${app.apns ? "APNs" : ""}</td>
      <td><a href="${consoleBase}/events?app=${app.id}">events</a></td>
    </tr>`,
  );
  return page({
    title: "Apps",
    section: "apps",
    locals,
    body: html`
      ${errorSummary(errors)}
      <table>
        <caption class="visually-hidden">Apps of this gateway</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Id</th><th scope="col">Mode</th>
          <th scope="col">Push</th><th scope="col">Providers</th><th scope="col">Activity</th></tr></thead>
        <tbody>${rows.length ? rows : html`<tr><td colspan="6">No app yet.</td></tr>`}</tbody>
      </table>
      ${canCreate ? createForm(locals) : ""}`,
  });
}

function pushSwitch(locals: ConsoleLocals, app: App): SafeHtml {
  return html`<section aria-labelledby="push-heading" class="panel">
    <h2 id="push-heading">Network-level push: ${pushState(app)}</h2>
    <p>The first of the three toggles: while it is off, no notification of this app goes to any device.</p>
    <form method="post" action="${consoleBase}/apps/${app.id}/push">
      ${csrfField(locals)}
      <input type="hidden" name="enabled" value="${app.pushEnabled ? "off" : "on"}">
      ${
        app.pushEnabled
          ? html`<button type="submit" class="danger">Turn push off for everyone</button>`
          : html`<button type="submit">Turn push back on</button>`
      }
    </form>
  </section>`;
}

/** Which event types go to the webhook, and what becomes of the others. */
function webhookRoutingFields(app: App): SafeHtml {
  const forwarded = app.webhook?.eventTypes ?? [];
  const boxes = liveEventTypes.map(
    (type) =>
      html`<label class="check"><input type="checkbox" name="webhook_event_types" value="${type}"${
        forwarded.includes(type) ? html` checked` : ""
      }> <code>${type}</code></label>`,
  );
  const otherEvents = app.webhook?.otherEvents ?? "direct";
  return html`<fieldset class="stack">
      <legend>Event types sent to the webhook <span class="hint">(none ticked: every type)</span></legend>
      ${boxes}
    </fieldset>
    <label for="webhook-other-events">Events of the other types
      <span class="hint">(those not ticked above; with none ticked there are none)</span></label>
    <select id="webhook-other-events" name="webhook_other_events">
      <option value="direct"${otherEvents === "direct" ? html` selected` : ""}>send them directly (Pushgate renders and sends, as in direct mode)</option>
      <option value="drop"${otherEvents === "drop" ? html` selected` : ""}>send no notification for them</option>
    </select>`;
}

/** When the webhook's failures turn it off. */
function webhookBreakerFields(app: App): SafeHtml {
  const failures = app.webhook?.disableAfterFailures ?? webhookBreakerDefaults.disableAfterFailures;
  const minutes = app.webhook?.disableAfterMinutes ?? webhookBreakerDefaults.disableAfterMinutes;
  return html`<p class="hint" id="breaker-hint">The webhook is turned off after this many failed calls in a row,
      once they span at least this many minutes; its events then take the fallback above.</p>
    <label for="webhook-disable-failures">Turn off after failed calls in a row <span class="hint">(1–1000000)</span></label>
    <input id="webhook-disable-failures" name="webhook_disable_after_failures" type="number" min="1" max="1000000" step="1" value="${failures}" aria-describedby="breaker-hint">
    <label for="webhook-disable-minutes">spanning at least <span class="hint">(minutes, 0–${maxDisableAfterMinutes}; decimals allowed: 0.5 is 30 s)</span></label>
    <input id="webhook-disable-minutes" name="webhook_disable_after_minutes" type="number" min="0" max="${maxDisableAfterMinutes}" step="any" value="${minutes}" aria-describedby="breaker-hint">`;
}

/** "a minute", "every 5 minutes", "every 30 seconds": how often a probe goes out. */
function everyInterval(seconds: number): string {
  if (seconds === 60) return "a minute";
  if (seconds % 60 === 0) return `every ${seconds / 60} minutes`;
  return seconds === 1 ? "a second" : `every ${seconds} seconds`;
}

/** What becomes of the app's events while its webhook is off. */
function meanwhile(app: App, webhook: NonNullable<App["webhook"]>): SafeHtml {
  if (app.mode !== "webhook")
    return html`The app is in direct mode: its events do not go to the webhook in any case.`;
  const events = webhook.eventTypes ? "its events of the types the webhook takes are" : "its events are";
  return webhook.fallback === "send"
    ? html`Meanwhile ${events} <strong>sent without your server</strong>: the notification Pushgate proposes goes out as is (the fallback).`
    : html`Meanwhile ${events} <strong>not sent</strong> (the fallback is to drop them).`;
}

/** At the top of the page while the webhook is off: since when, why, what happens meanwhile, and how it comes back. */
function webhookOffBanner(locals: ConsoleLocals, app: App, probeIntervalSeconds: number): SafeHtml {
  const webhook = app.webhook;
  if (!webhook?.disabled) return html``;
  const { at, reason, by } = webhook.disabled;
  return html`<div class="warning-banner" role="alert" aria-labelledby="webhook-off-heading">
    <h2 id="webhook-off-heading">The webhook is off</h2>
    <p>Off since ${time(at)}. Reason: ${reason}.</p>
    <p>${meanwhile(app, webhook)}</p>
    <p>${
      by === "failures"
        ? `One event ${everyInterval(probeIntervalSeconds)} is still sent to it as a probe: the first probe it answers turns it back on by itself.`
        : "It was turned off by hand, so it is not probed: it stays off until it is turned back on."
    }</p>
    <form method="post" action="${consoleBase}/apps/${app.id}/webhook/on">
      ${csrfField(locals)}<button type="submit">Turn the webhook back on</button>
    </form>
  </div>`;
}

/** While the webhook is on: an operator may turn it off, after confirming (the banner turns it back on). */
function webhookSwitch(app: App): SafeHtml {
  if (!app.webhook || app.webhook.disabled) return html``;
  return html`<section aria-labelledby="webhook-heading" class="panel">
    <h2 id="webhook-heading">Webhook: <span class="status-on">on</span></h2>
    <p>Turned off, it is not called: its events take the fallback, and it is not probed until it is turned back on.</p>
    <p><a class="tap" href="${consoleBase}/apps/${app.id}/webhook/off">Turn the webhook off…</a></p>
  </section>`;
}

export function webhookOffConfirmPage(locals: ConsoleLocals, app: App, webhook: NonNullable<App["webhook"]>) {
  return page({
    title: `Turn the webhook of ${app.name} off?`,
    section: "apps",
    locals,
    body: html`<p>Until it is turned back on, <code>${webhook.url}</code> is not called, not even as a probe.
        ${meanwhile(app, webhook)}</p>
      <form method="post" action="${consoleBase}/apps/${app.id}/webhook/off" class="actions">
        ${csrfField(locals)}
        <button type="submit" class="danger">Turn the webhook off</button>
        <a class="tap" href="${consoleBase}/apps/${app.id}">Keep it on</a>
      </form>`,
  });
}

/** `typedLocale`: what a refused form held, shown again with its error beside the field. */
function settingsForm(locals: ConsoleLocals, app: App, errors: FieldError[], typedLocale?: string): SafeHtml {
  const selected = (on: boolean) => (on ? html` selected` : "");
  const localeErrors = errors.filter((error) => error.path === "default_locale");
  return html`<h2 id="settings-heading">Settings</h2>
    <form method="post" action="${consoleBase}/apps/${app.id}/settings" class="stack" aria-labelledby="settings-heading">
      ${csrfField(locals)}
      <label for="name">Name</label>
      <input id="name" name="name" value="${app.name}" required maxlength="200">
      <label for="mode">Mode</label>
      <select id="mode" name="mode">
        <option value="direct"${selected(app.mode === "direct")}>direct push</option>
        <option value="webhook"${selected(app.mode === "webhook")}>webhook</option>
      </select>
      <label for="ttl">Notification TTL <span class="hint">(seconds)</span></label>
      <input id="ttl" name="notification_ttl_seconds" type="number" min="0" max="2419200" value="${app.notificationTtlSeconds}">
      <label for="quiet-delivery">During a user's snooze or quiet hours</label>
      <select id="quiet-delivery" name="quiet_delivery">
        <option value="drop"${selected(app.quietDelivery === "drop")}>drop the notification</option>
        <option value="silent"${selected(app.quietDelivery === "silent")}>send it silently (no sound, no interruption)</option>
      </select>
      <label for="badge">App icon badge</label>
      <select id="badge" name="badge">
        <option value="count"${selected(app.badge === "count")}>count each user's unread notifications</option>
        <option value="off"${selected(app.badge === "off")}>no badge</option>
      </select>
      <label for="burst-window">Burst window <span class="hint">(seconds, 0–3600; 0: off. A channel's next messages within it replace the first on the device, without sound, saying how many)</span></label>
      <input id="burst-window" name="burst_window_seconds" type="number" min="0" max="3600" value="${app.burstWindowSeconds}">
      <label for="default-locale">Default locale <span class="hint">(BCP 47, such as en or fr-CA: the language of a recipient whose device and user name none)</span></label>
      ${
        localeErrors.length
          ? html`<span class="field-error" id="default-locale-error">${localeErrors.map((error) => error.message).join("; ")}</span>`
          : ""
      }
      <input id="default-locale" name="default_locale" value="${typedLocale ?? app.defaultLocale}" maxlength="35"${
        localeErrors.length ? html` aria-invalid="true" aria-describedby="default-locale-error"` : ""
      }>
      <label class="check"><input type="checkbox" name="require_auth_token"${app.requireAuthToken ? html` checked` : ""}>
        Clients must sign in with an auth token (JWT)</label>
      <fieldset>
        <legend>Webhook</legend>
        <label for="webhook-url">URL <span class="hint">(empty: no webhook)</span></label>
        <input id="webhook-url" name="webhook_url" type="url" value="${app.webhook?.url ?? ""}">
        <label for="webhook-timeout">Timeout <span class="hint">(ms, 100–15000)</span></label>
        <input id="webhook-timeout" name="webhook_timeout_ms" type="number" min="100" max="15000" value="${app.webhook?.timeoutMs ?? ""}">
        <label for="webhook-fallback">When the webhook does not answer</label>
        <select id="webhook-fallback" name="webhook_fallback">
          <option value="drop"${selected(app.webhook?.fallback !== "send")}>drop the notification</option>
          <option value="send"${selected(app.webhook?.fallback === "send")}>send it as proposed</option>
        </select>
        ${webhookRoutingFields(app)}
        ${webhookBreakerFields(app)}
      </fieldset>
      <button type="submit">Save settings</button>
    </form>`;
}

function credentialForms(locals: ConsoleLocals, app: App): SafeHtml {
  const remove = (provider: "fcm" | "apns") =>
    html`<form method="post" action="${consoleBase}/apps/${app.id}/${provider}/remove">
      ${csrfField(locals)}<button type="submit" class="secondary">Remove ${provider === "fcm" ? "FCM" : "APNs"} credentials</button>
    </form>`;
  return html`<h2>Provider credentials</h2>
    <p>Key material is stored sealed and never shown again; upload a new file to replace it.</p>
    <section aria-labelledby="fcm-heading" class="panel">
      <h3 id="fcm-heading">FCM</h3>
      <p>${app.fcm ? html`Configured for project <code>${app.fcm.project_id}</code>.` : "Not configured."}</p>
      <form method="post" action="${consoleBase}/apps/${app.id}/fcm" enctype="multipart/form-data" class="stack">
        ${csrfField(locals)}
        <label for="fcm-file">Service account JSON</label>
        <input id="fcm-file" name="service_account" type="file" accept=".json,application/json" required>
        <button type="submit">Upload FCM service account</button>
      </form>
      ${app.fcm ? remove("fcm") : ""}
    </section>
    <section aria-labelledby="apns-heading" class="panel">
      <h3 id="apns-heading">APNs</h3>
      <p>${
        app.apns
          ? html`Configured: bundle <code>${app.apns.bundleId}</code>, team <code>${app.apns.teamId}</code>, key <code>${app.apns.keyId}</code>.`
          : "Not configured."
      }</p>
      <form method="post" action="${consoleBase}/apps/${app.id}/apns" enctype="multipart/form-data" class="stack">
        ${csrfField(locals)}
        <label for="apns-team">Team id</label>
        <input id="apns-team" name="team_id" required pattern="[A-Z0-9]{10}" value="${app.apns?.teamId ?? ""}">
        <label for="apns-key-id">Key id</label>
        <input id="apns-key-id" name="key_id" required pattern="[A-Z0-9]{10}" value="${app.apns?.keyId ?? ""}">
        <label for="apns-bundle">Bundle id</label>
        <input id="apns-bundle" name="bundle_id" required value="${app.apns?.bundleId ?? ""}">
        <label for="apns-file">.p8 key</label>
        <input id="apns-file" name="private_key" type="file" accept=".p8" required>
        <button type="submit">Upload APNs key</button>
      </form>
      ${app.apns ? remove("apns") : ""}
    </section>`;
}

/** What the API sets and the console shows: Web Push (the key browsers subscribe with) and the app's variants. */
function webPushAndVariants(app: App): SafeHtml {
  const webPush = app.webpush
    ? html`<p>Configured, subject <code>${app.webpush.subject}</code>. Browsers subscribe with this public key:</p>
        <p><code class="wrap">${app.webpush.vapidPublicKey}</code></p>`
    : html`<p>Not configured: <code>PATCH /v1/apps/${app.id}</code> with <code>{"webpush": {"subject": "mailto:…"}}</code>.</p>`;
  const variants = Object.entries(app.variants);
  const providers = (variant: App["variants"][string]) =>
    [
      variant.fcm && `FCM project ${variant.fcm.project_id}`,
      variant.apns && `APNs bundle ${variant.apns.bundleId}`,
      variant.webpush && `Web Push (${variant.webpush.subject})`,
    ]
      .filter((entry) => entry)
      .join(", ") || "no credentials of its own";
  return html`<section aria-labelledby="webpush-heading" class="panel">
      <h3 id="webpush-heading">Web Push</h3>
      ${webPush}
    </section>
    <h2 id="variants-heading">Variants</h2>
    ${
      variants.length === 0
        ? html`<p>None. Several builds of the app (white-label, staging) each get theirs through the API's <code>variants</code>.</p>`
        : html`<table aria-labelledby="variants-heading">
            <thead><tr><th scope="col">Variant</th><th scope="col">Sends through (the app's own otherwise)</th></tr></thead>
            <tbody>${variants.map(
              ([name, variant]) => html`<tr><td><code>${name}</code></td><td>${providers(variant)}</td></tr>`,
            )}</tbody>
          </table>`
    }`;
}

function rotationForms(locals: ConsoleLocals, app: App): SafeHtml {
  const forms = (Object.keys(secretLabels) as SecretKind[]).map((kind) => {
    const { slug, label, use } = secretLabels[kind];
    return html`<li><form method="post" action="${consoleBase}/apps/${app.id}/secrets/${slug}/rotate" class="inline">
      ${csrfField(locals)}<span>${label}: ${use}.</span>
      <button type="submit" class="secondary">Rotate ${label.toLowerCase()}</button>
    </form></li>`;
  });
  return html`<h2>Secrets</h2>
    <p>A rotation shows the new secret once; the previous one keeps working during the overlap.</p>
    <ul>${forms}</ul>`;
}

export interface AppPageView {
  /** How often a webhook its failures turned off is still called (WEBHOOK_PROBE_INTERVAL_SECONDS). */
  probeIntervalSeconds: number;
  errors?: FieldError[];
  notice?: string;
  /** What a refused form held, shown again with its error beside the field. */
  typedLocale?: string;
}

export function appPage(locals: ConsoleLocals, app: App, view: AppPageView) {
  const { errors = [], notice, typedLocale } = view;
  return page({
    title: app.name,
    section: "apps",
    locals,
    body: html`
      ${webhookOffBanner(locals, app, view.probeIntervalSeconds)}
      ${errorSummary(errors)}
      ${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}
      <dl class="facts">
        <dt>Id</dt><dd><code>${app.id}</code></dd>
        <dt>API key (public)</dt><dd><code>${app.apiKey}</code></dd>
        <dt>Created</dt><dd>${time(app.createdAt)}</dd>
        <dt>Activity</dt><dd><a href="${consoleBase}/events?app=${app.id}">events</a> ·
          <a href="${consoleBase}/users?app=${app.id}">look up a user</a></dd>
        <dt>Notifications</dt><dd><a href="${consoleBase}/apps/${app.id}/templates">wording per event type and language</a></dd>
      </dl>
      ${pushSwitch(locals, app)}
      ${webhookSwitch(app)}
      ${settingsForm(locals, app, errors, typedLocale)}
      ${credentialForms(locals, app)}
      ${webPushAndVariants(app)}
      ${rotationForms(locals, app)}`,
  });
}

/** Secrets appear on this page only: it is not kept anywhere the console could show it again. */
export function secretsOncePage(
  locals: ConsoleLocals,
  app: App,
  secrets: { label: string; value: string }[],
  note: string,
) {
  return page({
    title: `Secrets of ${app.name}`,
    section: "apps",
    locals,
    body: html`
      <p class="notice" role="status">${note} Copy them now: the console will not show them again.</p>
      <dl class="facts">${secrets.map((secret) => html`<dt>${secret.label}</dt><dd><code class="secret">${secret.value}</code></dd>`)}</dl>
      <p><a href="${consoleBase}/apps/${app.id}">Continue to the app</a></p>`,
  });
}
