import type { App } from "../../domain/apps/app.js";
import { type SuppressingToggle, suppressingToggles } from "../../domain/audience/audience.js";
import { tokenTail } from "../../domain/devices/device.js";
import {
  type DeviceDelivery,
  type DeviceOutcome,
  deviceOutcomes,
} from "../../domain/events/device-delivery.js";
import type { EventRecord, EventStatus, WebhookAttemptRecord } from "../../domain/events/event-record.js";
import { buildDeliveryBody } from "../../webhooks/delivery-body.js";
import type { ConsoleLocals } from "../console-auth.js";
import { consoleBase } from "../console-auth.js";
import { html, type SafeHtml } from "../html.js";
import { focusedNotice, pending, statusLabel } from "./events.js";
import { csrfField, page, time } from "./layout.js";

const toggleNames: Record<SuppressingToggle, string> = {
  network: "the app's network switch",
  user: "the user's own switch",
  snooze: "the user's snooze",
  quiet_hours: "the user's quiet hours",
  module: "the user's switch for this module",
  role_filter: "the user's role filter for this module",
  channel: "the channel turned off or muted",
  mentions_only: "the channel set to mentions only, without a mention",
};

const finished: EventStatus[] = ["completed", "failed", "expired"];

/** What the story tells besides the event's record, read again at each refresh. */
export interface StoryFacts {
  attempts: WebhookAttemptRecord[];
  /** When the run's soonest retry (a webhook call or a device's send) is due; null when none waits. */
  nextRetryAt: Date | null;
  /** Devices of the current run that did not get the notification (yet), with the provider's answer. */
  troubles: DeviceDelivery[];
}

/** Which check stopped how many recipients (the first that applies to each), in the order of the checks. */
function suppressionFacts(record: EventRecord): SafeHtml | string {
  const entries = suppressingToggles
    .map((toggle) => [toggle, record.suppressedBy[toggle] ?? 0] as const)
    .filter(([, count]) => count > 0);
  if (entries.length === 0) return "";
  return html`<dl class="facts">${entries.map(
    ([toggle, count]) => html`<dt>${toggleNames[toggle]}</dt><dd>${count}</dd>`,
  )}</dl>`;
}

/**
 * The request body Pushgate POSTed, as far as the store keeps it: the event and the counts per
 * toggle are stored, the proposal (notification, recipients, locales) lives only in the job.
 */
/** The body the run's first call sent, as kept (its start), pretty when it is whole JSON. */
function keptRequest(request: string): string {
  try {
    return JSON.stringify(JSON.parse(request), null, 2);
  } catch {
    return `${request}…`;
  }
}

function webhookRequest(app: App, record: EventRecord, attempts: WebhookAttemptRecord[]): SafeHtml {
  const sent = attempts.find((attempt) => attempt.run === record.run && attempt.request !== null)?.request;
  if (sent)
    return html`<details id="webhook-request" hx-preserve>
      <summary>The request sent to the webhook</summary>
      <p class="hint">As the run's first call sent it (its retries send the same), up to its first 16 KiB.</p>
      <pre tabindex="0">${keptRequest(sent)}</pre>
    </details>`;
  const body = buildDeliveryBody(
    record.payload,
    { notification: null, recipientIds: [], suppressedBy: record.suppressedBy },
    app.defaultLocale,
  );
  const kept = { event: body.event, suppressed_by: body.suppressed_by, default_locale: body.default_locale };
  return html`<details id="webhook-request" hx-preserve>
    <summary>The request sent to the webhook</summary>
    <p class="hint">No call of this run kept its request (calls made before the gateway kept them, or none
      yet); rebuilt from the store: <code>notification</code>, <code>recipient_ids</code>,
      <code>silent_recipient_ids</code> and <code>recipient_locales</code> were computed for the call and
      are not kept; the rest is as sent.</p>
    <pre tabindex="0">${JSON.stringify(kept, null, 2)}</pre>
  </details>`;
}

function attemptRows(attempts: WebhookAttemptRecord[]): SafeHtml {
  return html`<table class="stack-narrow">
    <caption>Calls to the customer's webhook, oldest first</caption>
    <thead><tr><th scope="col">Run</th><th scope="col">At</th><th scope="col">Status</th><th scope="col">Latency</th>
      <th scope="col">Error</th><th scope="col">The customer's answer</th></tr></thead>
    <tbody>${attempts.map(
      (attempt) => html`<tr>
        <td data-label="Run">${attempt.run + 1}</td><td data-label="At">${time(attempt.at)}</td>
        <td data-label="Status">${attempt.statusCode ?? "no answer"}</td>
        <td data-label="Latency">${attempt.durationMs} ms</td><td data-label="Error">${attempt.error ?? ""}</td>
        <td data-label="The customer's answer">${attempt.response ? html`<pre tabindex="0">${attempt.response}</pre>` : ""}</td>
      </tr>`,
    )}</tbody>
  </table>`;
}

/** A webhook whose outcome is not decided while calls were made is being called again. */
function webhookRetrying(
  record: EventRecord,
  attempts: WebhookAttemptRecord[],
  nextRetryAt: Date | null,
): SafeHtml | string {
  const last = attempts.at(-1);
  if (record.webhookOutcome || finished.includes(record.status) || !last || last.run !== record.run)
    return "";
  return html`<p><strong>Retrying.</strong> The last call, at ${time(last.at)}, did not decide;
    ${nextRetryAt ? html`the next is due at ${time(nextRetryAt)}.` : "the next one is being made."}</p>`;
}

function webhookStep(app: App, record: EventRecord, facts: StoryFacts): SafeHtml {
  if (record.mode !== "webhook") return html``;
  const { attempts } = facts;
  return html`<li>
    <h2>Webhook</h2>
    <p>Outcome: <strong>${record.webhookOutcome ?? "not decided yet"}</strong></p>
    ${webhookRetrying(record, attempts, facts.nextRetryAt)}
    ${webhookRequest(app, record, attempts)}
    ${attempts.length ? attemptRows(attempts) : html`<p>No call made yet.</p>`}
  </li>`;
}

const troubleWords: Partial<Record<DeviceOutcome, string>> = {
  failed: "failed",
  invalid_token: "dead token (removed)",
  expired: "expired before delivery",
  pending: "retrying",
};

/** Why deliveries did not go out: each device's outcome and what its provider answered. */
function troubleTable(troubles: DeviceDelivery[]): SafeHtml | string {
  if (troubles.length === 0) return "";
  return html`<table class="stack-narrow">
    <caption>Why deliveries did not go out</caption>
    <thead><tr><th scope="col">User</th><th scope="col">Token</th><th scope="col">Outcome</th>
      <th scope="col">Provider's answer</th><th scope="col">Last attempt</th></tr></thead>
    <tbody>${troubles.map(
      (device) => html`<tr>
        <td data-label="User">${device.userId ?? "—"}</td>
        <td data-label="Token">${device.provider} <code>${tokenTail(device.token)}</code></td>
        <td data-label="Outcome">${troubleWords[device.outcome] ?? device.outcome}</td>
        <td data-label="Provider's answer" class="reason">${device.providerStatus ?? "no status"}${device.providerError ? html`: <code>${device.providerError}</code>` : ""}</td>
        <td data-label="Last attempt">${time(device.at)}</td>
      </tr>`,
    )}</tbody>
  </table>`;
}

/** The event's steps in the order the pipeline took them, from what the store records. */
export function eventStory(app: App, record: EventRecord, facts: StoryFacts): SafeHtml {
  const started = record.status !== "queued";
  // htmx polls the story while the event is in flight; its panels keep their open state (hx-preserve).
  const live = finished.includes(record.status)
    ? ""
    : html` hx-get="${consoleBase}/apps/${record.appId}/events/${encodeURIComponent(record.id)}" hx-trigger="every 2s" hx-swap="outerHTML"`;
  return html`<div id="story"${live}>
    <p>Status: ${statusLabel(record.status)}${record.run > 0 ? html` · run ${record.run + 1} (replayed ${record.run}×)` : ""}</p>
    <ol class="story">
      <li>
        <h2>Received</h2>
        <dl class="facts">
          <dt>At</dt><dd>${time(record.receivedAt)}</dd>
          <dt>Type</dt><dd>${record.type}</dd>
          <dt>Mode</dt><dd>${record.mode}</dd>
          <dt>Actor</dt><dd>${record.payload.actor?.id ?? "—"}</dd>
          <dt>Channel</dt><dd>${record.payload.channel?.id ?? "—"}</dd>
        </dl>
        <details id="raw-event" hx-preserve><summary>Event as received (JSON)</summary><pre tabindex="0">${JSON.stringify(record.payload, null, 2)}</pre></details>
      </li>
      <li>
        <h2>Recipients computed</h2>
        <p>${started ? html`<strong>${record.recipients}</strong> recipient(s).` : "Waiting in the queue."}</p>
      </li>
      <li>
        <h2>Suppressed by the toggles</h2>
        <p><strong>${record.suppressed}</strong> recipient(s) had notifications off${record.suppressed ? ", stopped by:" : "."}</p>
        ${suppressionFacts(record)}
      </li>
      ${webhookStep(app, record, facts)}
      <li>
        <h2>Deliveries</h2>
        <dl class="facts">
          <dt>Device tokens targeted</dt><dd>${record.tokens}</dd>
          <dt>Sent</dt><dd>${record.sent}</dd>
          <dt>Of which silently (snooze or quiet hours)</dt><dd>${record.silenced}</dd>
          <dt>Of which folded into a burst (replaced the one before, without sound)</dt><dd>${record.folded}</dd>
          <dt>Failed</dt><dd>${record.failed}</dd>
          <dt>Dead tokens removed</dt><dd>${record.invalidTokens}</dd>
          <dt>Expired before delivery</dt><dd>${record.expired}</dd>
          <dt>Pending (retrying or queued)</dt><dd>${pending(record)}</dd>
          ${facts.nextRetryAt ? html`<dt>Next retry due</dt><dd>${time(facts.nextRetryAt)}</dd>` : ""}
        </dl>
        ${troubleTable(facts.troubles)}
      </li>
      <li>
        <h2>${finished.includes(record.status) ? "Finished" : "In progress"}</h2>
        <p>${statusLabel(record.status)} ${record.completedAt ? html`at ${time(record.completedAt)}` : ""}</p>
        ${record.error ? html`<p>Error: <code>${record.error}</code></p>` : ""}
      </li>
    </ol>
  </div>`;
}

/** The page of per-device records an event's page shows, and the filter it was asked with. */
export interface DevicesView {
  filter: { outcome?: DeviceOutcome; afterToken?: string };
  devices: DeviceDelivery[];
  /** Whether a next page may follow the last device shown. */
  more: boolean;
}

/** Each device's outcome and the provider's answer, filterable by outcome, a page at a time. */
function perDevice(record: EventRecord, view: DevicesView): SafeHtml {
  const base = `${consoleBase}/apps/${record.appId}/events/${encodeURIComponent(record.id)}`;
  const selected = (outcome: string) => (view.filter.outcome === outcome ? html` selected` : "");
  const last = view.devices.at(-1);
  const next =
    view.more && last
      ? `${base}?${new URLSearchParams({ ...(view.filter.outcome && { outcome: view.filter.outcome }), after: last.token })}#devices-heading`
      : null;
  return html`<h2 id="devices-heading">Per device</h2>
    <form method="get" action="${base}" class="inline" aria-label="Filter the devices">
      <label for="device-outcome">Outcome<select id="device-outcome" name="outcome">
        <option value="">any</option>
        ${deviceOutcomes.map((outcome) => html`<option value="${outcome}"${selected(outcome)}>${outcome}</option>`)}
      </select></label>
      <button type="submit">Filter</button>
    </form>
    ${
      view.devices.length === 0
        ? html`<p>No device ${view.filter.outcome ? html`with outcome ${view.filter.outcome}` : "recorded for this run yet"}.</p>`
        : html`<table class="narrow stack-narrow" aria-labelledby="devices-heading">
            <thead><tr>
              <th scope="col">User</th><th scope="col">Device</th><th scope="col">Provider</th><th scope="col">Token</th>
              <th scope="col">Outcome</th><th scope="col">Sends</th><th scope="col">Provider's answer</th><th scope="col">At</th>
            </tr></thead>
            <tbody>${view.devices.map(
              (device) => html`<tr>
                <td data-label="User">${device.userId ?? "—"}</td><td data-label="Device">${device.deviceId ?? "—"}</td>
                <td data-label="Provider">${device.provider}</td>
                <td data-label="Token"><code>${tokenTail(device.token)}</code></td><td data-label="Outcome">${device.outcome}</td>
                <td data-label="Sends">${device.attempts}</td>
                <td data-label="Provider's answer">${device.providerStatus ?? ""}${device.providerError ? html` <code>${device.providerError}</code>` : ""}</td>
                <td data-label="At">${time(device.at)}</td>
              </tr>`,
            )}</tbody>
          </table>`
    }
    ${next ? html`<p><a href="${next}">Next devices</a></p>` : ""}`;
}

export function eventPage(
  locals: ConsoleLocals,
  app: App,
  record: EventRecord,
  facts: StoryFacts,
  devices: DevicesView,
  notice?: string,
): SafeHtml {
  return page({
    title: `Event ${record.id}`,
    section: "events",
    locals,
    body: html`<div class="events-page">
      ${focusedNotice(notice)}
      <p>Of <a href="${consoleBase}/apps/${app.id}">${app.name}</a> ·
        <a href="${consoleBase}/events?app=${app.id}">all its events</a></p>
      <form method="post" action="${consoleBase}/apps/${app.id}/events/${encodeURIComponent(record.id)}/replay">
        ${csrfField(locals)}
        <button type="submit">Replay this event</button>
        <span class="hint">Tokens that got it, or are dead, are not sent to again; failed and expired ones are.</span>
      </form>
      ${eventStory(app, record, facts)}
      ${perDevice(record, devices)}
    </div>`,
  });
}
