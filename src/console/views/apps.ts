import { type App, type SecretKind, statusCallbackTypes } from "../../domain/apps/app.js";
import type { FieldError } from "../../domain/errors.js";
import { liveEventTypes } from "../../domain/events/live-event.js";
import { maxDisableAfterMinutes } from "../../http/schemas/apps.js";
import type { ConsoleLocals } from "../console-auth.js";
import { consoleBase } from "../console-auth.js";
import { html, type SafeHtml } from "../html.js";
import type { ApnsFields, NewAppFields, SettingsFields } from "../settings-fields.js";
import { csrfField, errorSummary, page, scrollBox, time } from "./layout.js";

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

/** The errors of the fields at `paths` (a field's own and those of what it holds). */
function errorsAt(errors: FieldError[], paths: string[]): FieldError[] {
  return errors.filter((error) =>
    paths.some((path) => error.path === path || error.path.startsWith(`${path}.`)),
  );
}

/** A field's error, shown beside it and tied to it for screen readers; `attributes` go on the field. */
function fieldProblem(id: string, errors: FieldError[], paths: string[]) {
  const own = errorsAt(errors, paths);
  if (own.length === 0) return { text: html``, attributes: html`` };
  return {
    text: html`<span class="field-error" id="${id}-error">${own.map((error) => error.message).join("; ")}</span>`,
    attributes: html` aria-invalid="true" aria-describedby="${id}-error"`,
  };
}

const selectedIf = (on: boolean) => (on ? html` selected` : "");

function createForm(locals: ConsoleLocals, typed: NewAppFields, errors: FieldError[]): SafeHtml {
  const name = fieldProblem("new-name", errors, ["name"]);
  const mode = fieldProblem("new-mode", errors, ["mode"]);
  const url = fieldProblem("new-webhook-url", errors, ["webhook"]);
  return html`<h2 id="create-heading">Create an app</h2>
    <form method="post" action="${consoleBase}/apps" class="stack" aria-labelledby="create-heading">
      ${csrfField(locals)}
      <label for="new-name">Name</label>
      ${name.text}
      <input id="new-name" name="name" required maxlength="200" value="${typed.name}"${name.attributes}>
      <label for="new-mode">Mode</label>
      ${mode.text}
      <select id="new-mode" name="mode"${mode.attributes}>
        <option value="direct"${selectedIf(typed.mode !== "webhook")}>direct push (Pushgate renders and sends)</option>
        <option value="webhook"${selectedIf(typed.mode === "webhook")}>webhook (your server decides)</option>
      </select>
      <label for="new-webhook-url">Webhook URL <span class="hint">(required in webhook mode)</span></label>
      ${url.text}
      <input id="new-webhook-url" name="webhook_url" type="url" value="${typed.webhookUrl}"${url.attributes}>
      <button type="submit">Create app</button>
    </form>`;
}

export interface AppListView {
  canCreate: boolean;
  errors?: FieldError[];
  /** What a refused create form held. */
  typed?: NewAppFields;
}

export function appListPage(locals: ConsoleLocals, apps: App[], view: AppListView) {
  const { errors = [], typed = { name: "", mode: "direct", webhookUrl: "" } } = view;
  const rows = apps.map(
    (app) => html`<tr>
      <td><a class="tap" href="${consoleBase}/apps/${app.id}">${app.name}</a></td>
      <td><code>${app.id}</code></td>
      <td>${app.mode}${app.webhook?.disabled ? html` <span class="status-off">webhook off</span>` : ""}</td>
      <td>${pushState(app)}</td>
      <td>${app.fcm ? "FCM" : ""} ${app.apns ? "APNs" : ""}</td>
      <td><a class="tap" href="${consoleBase}/events?app=${app.id}">events</a></td>
    </tr>`,
  );
  return page({
    title: "Apps",
    section: "apps",
    locals,
    body: html`
      ${errorSummary(errors)}
      ${scrollBox(
        "Apps of this gateway",
        html`<table>
        <caption class="visually-hidden">Apps of this gateway</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Id</th><th scope="col">Mode</th>
          <th scope="col">Push</th><th scope="col">Providers</th><th scope="col">Activity</th></tr></thead>
        <tbody>${rows.length ? rows : html`<tr><td colspan="6">No app yet.</td></tr>`}</tbody>
      </table>`,
      )}
      ${view.canCreate ? createForm(locals, typed, errors) : ""}`,
  });
}

/** Turning push off stops every notification of the app: it is asked first; turning it back on is not. */
function pushSwitch(locals: ConsoleLocals, app: App): SafeHtml {
  return html`<section aria-labelledby="push-heading" class="panel">
    <h2 id="push-heading">Network-level push: ${pushState(app)}</h2>
    <p>The first of the three toggles: while it is off, no notification of this app goes to any device.</p>
    ${
      app.pushEnabled
        ? html`<p><a class="tap" href="${consoleBase}/apps/${app.id}/push/off">Turn push off for everyone…</a></p>`
        : html`<form method="post" action="${consoleBase}/apps/${app.id}/push">
            ${csrfField(locals)}
            <input type="hidden" name="enabled" value="on">
            <button type="submit">Turn push back on</button>
          </form>`
    }
  </section>`;
}

export function pushOffConfirmPage(locals: ConsoleLocals, app: App) {
  return page({
    title: `Turn push off for everyone using ${app.name}?`,
    section: "apps",
    locals,
    body: html`<p>Until it is turned back on, <strong>no notification of ${app.name} goes to any device</strong>,
        whatever its users chose. Events are still accepted and recorded.</p>
      <form method="post" action="${consoleBase}/apps/${app.id}/push" class="actions">
        ${csrfField(locals)}
        <input type="hidden" name="enabled" value="off">
        <button type="submit" class="danger">Turn push off</button>
        <a class="tap" href="${consoleBase}/apps/${app.id}">Keep it on</a>
      </form>`,
  });
}

/** Which event types go to the webhook, and what becomes of the others. */
function webhookRoutingFields(fields: SettingsFields): SafeHtml {
  const forwarded = fields.webhookEventTypes;
  const boxes = liveEventTypes.map(
    (type) =>
      html`<label class="check"><input type="checkbox" name="webhook_event_types" value="${type}"${
        forwarded.includes(type) ? html` checked` : ""
      }> <code>${type}</code></label>`,
  );
  const otherEvents = fields.webhookOtherEvents;
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
function webhookBreakerFields(fields: SettingsFields, errors: FieldError[]): SafeHtml {
  const failures = fields.webhookDisableAfterFailures;
  const minutes = fields.webhookDisableAfterMinutes;
  const failuresProblem = fieldProblem("webhook-disable-failures", errors, [
    "webhook.disable_after_failures",
  ]);
  const minutesProblem = fieldProblem("webhook-disable-minutes", errors, ["webhook.disable_after_minutes"]);
  return html`<p class="hint" id="breaker-hint">The webhook is turned off after this many failed calls in a row,
      once they span at least this many minutes; its events then take the fallback above.</p>
    <label for="webhook-disable-failures">Turn off after failed calls in a row <span class="hint">(1–1000000)</span></label>
    ${failuresProblem.text}
    <input id="webhook-disable-failures" name="webhook_disable_after_failures" type="number" min="1" max="1000000" step="1" value="${failures}"${
      errorsAt(errors, ["webhook.disable_after_failures"]).length
        ? failuresProblem.attributes
        : html` aria-describedby="breaker-hint"`
    }>
    <label for="webhook-disable-minutes">spanning at least <span class="hint">(minutes, 0–${maxDisableAfterMinutes}; decimals allowed: 0.5 is 30 s)</span></label>
    ${minutesProblem.text}
    <input id="webhook-disable-minutes" name="webhook_disable_after_minutes" type="number" min="0" max="${maxDisableAfterMinutes}" step="any" value="${minutes}"${
      errorsAt(errors, ["webhook.disable_after_minutes"]).length
        ? minutesProblem.attributes
        : html` aria-describedby="breaker-hint"`
    }>`;
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

/** Field ids of the settings form and the paths of the API errors shown beside each. */
const settingsErrorPaths = {
  name: ["name"],
  mode: ["mode"],
  ttl: ["notification_ttl_seconds"],
  "quiet-delivery": ["quiet_delivery"],
  badge: ["badge"],
  "burst-window": ["burst_window_seconds"],
  "default-locale": ["default_locale"],
  "webhook-url": ["webhook.url"],
  "webhook-timeout": ["webhook.timeout_ms"],
  "webhook-fallback": ["webhook.fallback"],
  "status-callback-url": ["status_callback.url"],
  "status-callback-events": ["status_callback.events"],
} as const;

/** Where the gateway tells what became of tokens and events, and which of those it tells. */
function statusCallbackFields(
  fields: SettingsFields,
  url: ReturnType<typeof fieldProblem>,
  events: ReturnType<typeof fieldProblem>,
): SafeHtml {
  const boxes = statusCallbackTypes.map(
    (type) =>
      html`<label class="check"><input type="checkbox" name="status_callback_events" value="${type}"${
        fields.statusCallbackEvents.includes(type) ? html` checked` : ""
      }> <code>${type}</code></label>`,
  );
  return html`<fieldset class="stack">
      <legend>Status callback <span class="hint">(signed with the webhook secret)</span></legend>
      <label for="status-callback-url">URL <span class="hint">(empty: none)</span></label>
      ${url.text}
      <input id="status-callback-url" name="status_callback_url" type="url" value="${fields.statusCallbackUrl}"${url.attributes}>
      <fieldset class="stack" id="status-callback-events">
        <legend>What it is told <span class="hint">(at least one, with a URL)</span></legend>
        ${events.text}
        ${boxes}
      </fieldset>
    </fieldset>`;
}

/** `fields`: the app's settings, or what a refused form held, shown again with each error beside its field. */
function settingsForm(
  locals: ConsoleLocals,
  app: App,
  fields: SettingsFields,
  errors: FieldError[],
): SafeHtml {
  const problem = (id: keyof typeof settingsErrorPaths) =>
    fieldProblem(id, errors, [...settingsErrorPaths[id]]);
  const name = problem("name");
  const mode = problem("mode");
  const ttl = problem("ttl");
  const quiet = problem("quiet-delivery");
  const badge = problem("badge");
  const burst = problem("burst-window");
  const locale = problem("default-locale");
  const url = problem("webhook-url");
  const timeout = problem("webhook-timeout");
  const fallback = problem("webhook-fallback");
  return html`<h2 id="settings-heading">Settings</h2>
    <form method="post" action="${consoleBase}/apps/${app.id}/settings" class="stack" aria-labelledby="settings-heading">
      ${csrfField(locals)}
      <label for="name">Name</label>
      ${name.text}
      <input id="name" name="name" value="${fields.name}" required maxlength="200"${name.attributes}>
      <label for="mode">Mode</label>
      ${mode.text}
      <select id="mode" name="mode"${mode.attributes}>
        <option value="direct"${selectedIf(fields.mode === "direct")}>direct push</option>
        <option value="webhook"${selectedIf(fields.mode === "webhook")}>webhook</option>
      </select>
      <label for="ttl">Notification TTL <span class="hint">(seconds)</span></label>
      ${ttl.text}
      <input id="ttl" name="notification_ttl_seconds" type="number" min="0" max="2419200" value="${fields.notificationTtlSeconds}"${ttl.attributes}>
      <label for="quiet-delivery">During a user's snooze or quiet hours</label>
      ${quiet.text}
      <select id="quiet-delivery" name="quiet_delivery"${quiet.attributes}>
        <option value="drop"${selectedIf(fields.quietDelivery === "drop")}>drop the notification</option>
        <option value="silent"${selectedIf(fields.quietDelivery === "silent")}>send it silently (no sound, no interruption)</option>
      </select>
      <label for="badge">App icon badge</label>
      ${badge.text}
      <select id="badge" name="badge"${badge.attributes}>
        <option value="count"${selectedIf(fields.badge === "count")}>count each user's unread notifications</option>
        <option value="off"${selectedIf(fields.badge === "off")}>no badge</option>
      </select>
      <label for="burst-window">Burst window <span class="hint">(seconds, 0–3600; 0: off. A channel's next messages within it replace the first on the device, without sound, saying how many)</span></label>
      ${burst.text}
      <input id="burst-window" name="burst_window_seconds" type="number" min="0" max="3600" value="${fields.burstWindowSeconds}"${burst.attributes}>
      <label for="default-locale">Default locale <span class="hint">(BCP 47, such as en or fr-CA: the language of a recipient whose device and user name none)</span></label>
      ${locale.text}
      <input id="default-locale" name="default_locale" value="${fields.defaultLocale}" maxlength="35"${locale.attributes}>
      <label class="check"><input type="checkbox" name="require_auth_token"${fields.requireAuthToken ? html` checked` : ""}>
        Clients must sign in with an auth token (JWT)</label>
      <fieldset>
        <legend>Webhook</legend>
        <label for="webhook-url">URL <span class="hint">(empty: no webhook)</span></label>
        ${url.text}
        <input id="webhook-url" name="webhook_url" type="url" value="${fields.webhookUrl}"${url.attributes}>
        <label for="webhook-timeout">Timeout <span class="hint">(ms, 100–15000)</span></label>
        ${timeout.text}
        <input id="webhook-timeout" name="webhook_timeout_ms" type="number" min="100" max="15000" value="${fields.webhookTimeoutMs}"${timeout.attributes}>
        <label for="webhook-fallback">When the webhook does not answer</label>
        ${fallback.text}
        <select id="webhook-fallback" name="webhook_fallback"${fallback.attributes}>
          <option value="drop"${selectedIf(fields.webhookFallback !== "send")}>drop the notification</option>
          <option value="send"${selectedIf(fields.webhookFallback === "send")}>send it as proposed</option>
        </select>
        ${webhookRoutingFields(fields)}
        ${webhookBreakerFields(fields, errors)}
      </fieldset>
      ${statusCallbackFields(fields, problem("status-callback-url"), problem("status-callback-events"))}
      <button type="submit">Save settings</button>
    </form>`;
}

function credentialForms(locals: ConsoleLocals, app: App, apns: ApnsFields | undefined): SafeHtml {
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
        <input id="apns-team" name="team_id" required pattern="[A-Z0-9]{10}" value="${apns?.teamId ?? app.apns?.teamId ?? ""}">
        <label for="apns-key-id">Key id</label>
        <input id="apns-key-id" name="key_id" required pattern="[A-Z0-9]{10}" value="${apns?.keyId ?? app.apns?.keyId ?? ""}">
        <label for="apns-bundle">Bundle id</label>
        <input id="apns-bundle" name="bundle_id" required value="${apns?.bundleId ?? app.apns?.bundleId ?? ""}">
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
        : scrollBox(
            "Variants",
            html`<table aria-labelledby="variants-heading">
            <thead><tr><th scope="col">Variant</th><th scope="col">Sends through (the app's own otherwise)</th></tr></thead>
            <tbody>${variants.map(
              ([name, variant]) => html`<tr><td><code>${name}</code></td><td>${providers(variant)}</td></tr>`,
            )}</tbody>
          </table>`,
          )
    }`;
}

/** Rotating a secret is asked first: the one in use stops working once the overlap ends. */
function rotationLinks(app: App): SafeHtml {
  const links = (Object.keys(secretLabels) as SecretKind[]).map((kind) => {
    const { slug, label, use } = secretLabels[kind];
    return html`<li>${label}: ${use}.
      <a class="tap" href="${consoleBase}/apps/${app.id}/secrets/${slug}/rotate">Rotate ${label.toLowerCase()}…</a></li>`;
  });
  return html`<h2>Secrets</h2>
    <p>A rotation shows the new secret once; the previous one keeps working during the overlap.</p>
    <ul class="spaced">${links}</ul>`;
}

/** "24 hours", "90 minutes", "45 seconds": a duration as an operator reads it. */
function durationText(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? "an hour" : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? "a minute" : `${seconds / 60} minutes`;
  return seconds === 1 ? "a second" : `${seconds} seconds`;
}

export function rotateConfirmPage(locals: ConsoleLocals, app: App, kind: SecretKind, overlapSeconds: number) {
  const { slug, label, use } = secretLabels[kind];
  return page({
    title: `Rotate the ${label.toLowerCase()} of ${app.name}?`,
    section: "apps",
    locals,
    body: html`<p>The ${label.toLowerCase()} (${use}) is replaced by a new one, shown once on the next page.
        The one in use now keeps working for ${durationText(overlapSeconds)}, then stops: put the new one in place before that.</p>
      <form method="post" action="${consoleBase}/apps/${app.id}/secrets/${slug}/rotate" class="actions">
        ${csrfField(locals)}
        <button type="submit" class="danger">Rotate the ${label.toLowerCase()}</button>
        <a class="tap" href="${consoleBase}/apps/${app.id}">Keep the current one</a>
      </form>`,
  });
}

/** Only the operator deletes an app, after a page that says what goes with it. */
function deleteLink(app: App): SafeHtml {
  return html`<h2>Delete</h2>
    <p><a class="tap" href="${consoleBase}/apps/${app.id}/delete">Delete ${app.name}…</a></p>`;
}

export function deleteConfirmPage(locals: ConsoleLocals, app: App) {
  return page({
    title: `Delete ${app.name}?`,
    section: "apps",
    locals,
    body: html`<p>The app <strong>${app.name}</strong> (<code>${app.id}</code>) is deleted for good, with everything it holds:</p>
      <ul>
        <li>its secrets: its server key, event secret and webhook secret stop working at once;</li>
        <li>its provider credentials (FCM, APNs, Web Push) and variants;</li>
        <li>every registered device and push token, and every user's notification settings;</li>
        <li>its sessions, its events and their deliveries, and its notification wording.</li>
      </ul>
      <p>Events sent for it afterwards are refused. This cannot be undone.</p>
      <form method="post" action="${consoleBase}/apps/${app.id}/delete" class="actions">
        ${csrfField(locals)}
        <button type="submit" class="danger">Delete ${app.name}</button>
        <a class="tap" href="${consoleBase}/apps/${app.id}">Keep it</a>
      </form>`,
  });
}

export interface AppPageView {
  /** How often a webhook its failures turned off is still called (WEBHOOK_PROBE_INTERVAL_SECONDS). */
  probeIntervalSeconds: number;
  canDelete: boolean;
  errors?: FieldError[];
  /** What a refused settings form held, shown again with its errors. */
  settings: SettingsFields;
  /** What a refused APNs upload held. */
  apns?: ApnsFields;
}

export function appPage(locals: ConsoleLocals, app: App, view: AppPageView) {
  const { errors = [] } = view;
  return page({
    title: app.name,
    section: "apps",
    locals,
    body: html`
      ${webhookOffBanner(locals, app, view.probeIntervalSeconds)}
      ${errorSummary(errors)}
      <dl class="facts">
        <dt>Id</dt><dd><code>${app.id}</code></dd>
        <dt>API key (public)</dt><dd><code>${app.apiKey}</code></dd>
        <dt>Created</dt><dd>${time(app.createdAt)}</dd>
        <dt>Activity</dt><dd><a class="tap" href="${consoleBase}/events?app=${app.id}">events</a> ·
          <a class="tap" href="${consoleBase}/users?app=${app.id}">look up a user</a> ·
          <a class="tap" href="${consoleBase}/live?app=${app.id}">live rates</a></dd>
        <dt>Notifications</dt><dd><a class="tap" href="${consoleBase}/apps/${app.id}/templates">wording per event type and language</a></dd>
      </dl>
      ${pushSwitch(locals, app)}
      ${webhookSwitch(app)}
      ${settingsForm(locals, app, view.settings, errors)}
      ${credentialForms(locals, app, view.apns)}
      ${webPushAndVariants(app)}
      ${rotationLinks(app)}
      ${view.canDelete ? deleteLink(app) : ""}`,
  });
}
