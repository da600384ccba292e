import type { App } from "../../domain/apps/app.js";
import { type SuppressingToggle, suppressingToggles } from "../../domain/audience/audience.js";
import { tokenTail } from "../../domain/devices/device.js";
import {
  type DeviceDelivery,
  type DeviceOutcome,
  deviceOutcomes,
} from "../../domain/events/device-delivery.js";
import type { EventRecord, EventStatus, WebhookAttemptRecord } from "../../domain/events/event-record.js";
import type { ConsoleLocals } from "../console-auth.js";
import { consoleBase } from "../console-auth.js";
import { html, type SafeHtml } from "../html.js";
import { csrfField, page, time } from "./layout.js";

export const eventStatuses: EventStatus[] = ["queued", "processing", "completed", "failed", "expired"];
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

export const replayableStatuses = ["failed", "expired", "completed"] as const;

export interface EventFilter {
  appId: string;
  type: string;
  status: EventStatus | "";
  /** As typed in the form (`datetime-local`, read as UTC). */
  since: string;
  until: string;
}

function options(values: readonly string[], selected: string, anyLabel?: string): SafeHtml {
  return html`${anyLabel !== undefined ? html`<option value="">${anyLabel}</option>` : ""}${values.map(
    (value) => html`<option value="${value}"${value === selected ? html` selected` : ""}>${value}</option>`,
  )}`;
}

function appOptions(apps: App[], selected: string): SafeHtml {
  return html`${apps.map(
    (app) =>
      html`<option value="${app.id}"${app.id === selected ? html` selected` : ""}>${app.name} (${app.id})</option>`,
  )}`;
}

function status(value: EventStatus): SafeHtml {
  return html`<span class="status-${value}">${value}</span>`;
}

function pending(record: EventRecord): number {
  return Math.max(0, record.tokens - record.sent - record.failed - record.invalidTokens - record.expired);
}

function filterForm(apps: App[], types: readonly string[], filter: EventFilter): SafeHtml {
  return html`<form method="get" action="${consoleBase}/events" class="inline" aria-label="Filter events">
    <label for="f-app">App<select id="f-app" name="app">${appOptions(apps, filter.appId)}</select></label>
    <label for="f-type">Type<select id="f-type" name="type">${options(types, filter.type, "any type")}</select></label>
    <label for="f-status">Status<select id="f-status" name="status">${options(eventStatuses, filter.status, "any status")}</select></label>
    <label for="f-since">Received since <span class="hint">(UTC)</span><input id="f-since" name="since" type="datetime-local" step="1" value="${filter.since}"></label>
    <label for="f-until">until <span class="hint">(UTC)</span><input id="f-until" name="until" type="datetime-local" step="1" value="${filter.until}"></label>
    <button type="submit">Filter</button>
  </form>`;
}

function bulkReplayForm(locals: ConsoleLocals, filter: EventFilter): SafeHtml {
  return html`<h2 id="bulk-heading">Replay a range</h2>
    <form method="post" action="${consoleBase}/events/replay" class="inline" aria-labelledby="bulk-heading">
      ${csrfField(locals)}
      <input type="hidden" name="app" value="${filter.appId}">
      <label for="r-status">Every event that is<select id="r-status" name="status">${options(replayableStatuses, "failed")}</select></label>
      <label for="r-since">received since <span class="hint">(UTC)</span><input id="r-since" name="since" type="datetime-local" step="1" value="${filter.since}"></label>
      <label for="r-until">until <span class="hint">(UTC)</span><input id="r-until" name="until" type="datetime-local" step="1" value="${filter.until}"></label>
      <button type="submit">Replay them</button>
    </form>`;
}

export interface EventListView {
  apps: App[];
  types: readonly string[];
  filter: EventFilter;
  events: EventRecord[];
  /** The query string of the next (older) page, when there is one. */
  olderQuery: string | null;
  notice?: string;
}

export function eventListPage(locals: ConsoleLocals, view: EventListView): SafeHtml {
  const rows = view.events.map(
    (record) => html`<tr>
      <td>${time(record.receivedAt)}</td>
      <td><a href="${consoleBase}/apps/${record.appId}/events/${encodeURIComponent(record.id)}">${record.id}</a></td>
      <td>${record.type}</td>
      <td>${record.mode}</td>
      <td>${status(record.status)}</td>
      <td>${record.recipients}</td>
      <td>${record.suppressed}</td>
      <td>${record.sent} / ${record.failed} / ${record.invalidTokens} / ${record.expired} / ${pending(record)}</td>
    </tr>`,
  );
  return page({
    title: "Events",
    section: "events",
    locals,
    body: html`
      ${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ""}
      ${view.apps.length ? filterForm(view.apps, view.types, view.filter) : html`<p>Create an app first.</p>`}
      <table>
        <caption class="visually-hidden">Events, newest first</caption>
        <thead><tr><th scope="col">Received</th><th scope="col">Event</th><th scope="col">Type</th><th scope="col">Mode</th>
          <th scope="col">Status</th><th scope="col">Recipients</th><th scope="col">Suppressed</th>
          <th scope="col">Sent / failed / dead / expired / pending</th></tr></thead>
        <tbody>${rows.length ? rows : html`<tr><td colspan="8">No event matches.</td></tr>`}</tbody>
      </table>
      ${view.olderQuery ? html`<p><a href="${consoleBase}/events?${view.olderQuery}">Older events</a></p>` : ""}
      ${view.apps.length ? bulkReplayForm(locals, view.filter) : ""}`,
  });
}

function attemptRows(attempts: WebhookAttemptRecord[]): SafeHtml {
  return html`<table>
    <caption>Calls to the customer's webhook, oldest first</caption>
    <thead><tr><th scope="col">Run</th><th scope="col">At</th><th scope="col">Status</th><th scope="col">Latency</th>
      <th scope="col">Error</th><th scope="col">The customer's answer</th></tr></thead>
    <tbody>${attempts.map(
      (attempt) => html`<tr>
        <td>${attempt.run + 1}</td><td>${time(attempt.at)}</td><td>${attempt.statusCode ?? "no answer"}</td>
        <td>${attempt.durationMs} ms</td><td>${attempt.error ?? ""}</td>
        <td>${attempt.response ? html`<pre>${attempt.response}</pre>` : ""}</td>
      </tr>`,
    )}</tbody>
  </table>`;
}

function webhookStep(record: EventRecord, attempts: WebhookAttemptRecord[]): SafeHtml {
  if (record.mode !== "webhook") return html``;
  return html`<li>
    <h2>Webhook</h2>
    <p>Outcome: <strong>${record.webhookOutcome ?? "not decided yet"}</strong></p>
    ${attempts.length ? attemptRows(attempts) : html`<p>No call made yet.</p>`}
  </li>`;
}

const finished: EventStatus[] = ["completed", "failed", "expired"];

/** The event's steps in the order the pipeline took them, from what the store records. */
export function eventStory(record: EventRecord, attempts: WebhookAttemptRecord[]): SafeHtml {
  const started = record.status !== "queued";
  const live = finished.includes(record.status)
    ? ""
    : html` hx-get="${consoleBase}/apps/${record.appId}/events/${encodeURIComponent(record.id)}" hx-trigger="every 2s" hx-swap="outerHTML"`;
  return html`<div id="story"${live}>
    <p>Status: ${status(record.status)}${record.run > 0 ? html` · run ${record.run + 1} (replayed ${record.run}×)` : ""}</p>
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
        <details><summary>Event as received</summary><pre>${JSON.stringify(record.payload, null, 2)}</pre></details>
      </li>
      <li>
        <h2>Recipients computed</h2>
        <p>${started ? html`<strong>${record.recipients}</strong> recipient(s).` : "Waiting in the queue."}</p>
      </li>
      <li>
        <h2>Suppressed by the toggles</h2>
        <p><strong>${record.suppressed}</strong> recipient(s) had notifications off.</p>
        ${suppressionFacts(record)}
      </li>
      ${webhookStep(record, attempts)}
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
        </dl>
      </li>
      <li>
        <h2>${finished.includes(record.status) ? "Finished" : "In progress"}</h2>
        <p>${status(record.status)} ${record.completedAt ? html`at ${time(record.completedAt)}` : ""}</p>
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
        : html`<table class="narrow" aria-labelledby="devices-heading">
            <thead><tr>
              <th scope="col">User</th><th scope="col">Device</th><th scope="col">Provider</th><th scope="col">Token</th>
              <th scope="col">Outcome</th><th scope="col">Sends</th><th scope="col">Provider's answer</th><th scope="col">At</th>
            </tr></thead>
            <tbody>${view.devices.map(
              (device) => html`<tr>
                <td>${device.userId ?? "—"}</td><td>${device.deviceId ?? "—"}</td><td>${device.provider}</td>
                <td><code>${tokenTail(device.token)}</code></td><td>${device.outcome}</td><td>${device.attempts}</td>
                <td>${device.providerStatus ?? ""}${device.providerError ? html` <code>${device.providerError}</code>` : ""}</td>
                <td>${time(device.at)}</td>
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
  attempts: WebhookAttemptRecord[],
  devices: DevicesView,
  notice?: string,
): SafeHtml {
  return page({
    title: `Event ${record.id}`,
    section: "events",
    locals,
    body: html`
      ${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}
      <p>Of <a href="${consoleBase}/apps/${app.id}">${app.name}</a> ·
        <a href="${consoleBase}/events?app=${app.id}">all its events</a></p>
      <form method="post" action="${consoleBase}/apps/${app.id}/events/${encodeURIComponent(record.id)}/replay">
        ${csrfField(locals)}
        <button type="submit">Replay this event</button>
        <span class="hint">Tokens that got it, or are dead, are not sent to again; failed and expired ones are.</span>
      </form>
      ${eventStory(record, attempts)}
      ${perDevice(record, devices)}`,
  });
}
