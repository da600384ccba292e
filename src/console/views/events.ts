import type { App } from "../../domain/apps/app.js";
import type { EventRecord, EventStatus } from "../../domain/events/event-record.js";
import type { ConsoleLocals } from "../console-auth.js";
import { consoleBase } from "../console-auth.js";
import { html, type SafeHtml } from "../html.js";
import { csrfField, page, time } from "./layout.js";

export const eventStatuses: EventStatus[] = ["queued", "processing", "completed", "failed", "expired"];

/** The list's filters as the form holds them: empty is "any". */
export interface EventFilter {
  appId: string;
  /** An event id, matched exactly. */
  id: string;
  type: string;
  status: EventStatus | "";
  user: string;
  channel: string;
  hadFailures: boolean;
  /** As typed in the form (`datetime-local`, read as UTC). */
  since: string;
  until: string;
}

/** The filter as a query string: what the list, its pages and the bulk replay share. */
export function filterQuery(filter: EventFilter, extra: Record<string, string> = {}): string {
  const fields: Record<string, string> = {
    app: filter.appId,
    id: filter.id,
    type: filter.type,
    status: filter.status,
    user: filter.user,
    channel: filter.channel,
    failures: filter.hadFailures ? "1" : "",
    since: filter.since,
    until: filter.until,
    ...extra,
  };
  return new URLSearchParams(Object.entries(fields).filter(([, value]) => value !== "")).toString();
}

export function statusLabel(value: EventStatus): SafeHtml {
  return html`<span class="status-${value}">${value}</span>`;
}

export function pending(record: EventRecord): number {
  return Math.max(0, record.tokens - record.sent - record.failed - record.invalidTokens - record.expired);
}

/** A notice that takes the focus when the page opens, so that a keyboard or screen reader starts there. */
export function focusedNotice(text: string | undefined): SafeHtml | string {
  return text ? html`<p class="notice" role="status" tabindex="-1" autofocus>${text}</p>` : "";
}

function options(values: readonly string[], selected: string, anyLabel: string): SafeHtml {
  return html`<option value="">${anyLabel}</option>${values.map(
    (value) => html`<option value="${value}"${value === selected ? html` selected` : ""}>${value}</option>`,
  )}`;
}

function appOptions(apps: App[], selected: string): SafeHtml {
  return html`${apps.map(
    (app) =>
      html`<option value="${app.id}"${app.id === selected ? html` selected` : ""}>${app.name} (${app.id})</option>`,
  )}`;
}

function filterForm(apps: App[], types: readonly string[], filter: EventFilter): SafeHtml {
  return html`<form method="get" action="${consoleBase}/events" class="inline event-filter" aria-label="Filter events">
    <label for="f-app">App<select id="f-app" name="app">${appOptions(apps, filter.appId)}</select></label>
    <label for="f-id">Event id <span class="hint">(exact)</span><input id="f-id" name="id" value="${filter.id}"></label>
    <label for="f-type">Type<select id="f-type" name="type">${options(types, filter.type, "any type")}</select></label>
    <label for="f-status">Status<select id="f-status" name="status">${options(eventStatuses, filter.status, "any status")}</select></label>
    <label for="f-user">User<input id="f-user" name="user" value="${filter.user}" aria-describedby="f-user-hint"></label>
    <label for="f-channel">Channel<input id="f-channel" name="channel" value="${filter.channel}"></label>
    <label for="f-since">Received since <span class="hint">(UTC)</span><input id="f-since" name="since" type="datetime-local" step="1" value="${filter.since}"></label>
    <label for="f-until">until <span class="hint">(UTC)</span><input id="f-until" name="until" type="datetime-local" step="1" value="${filter.until}"></label>
    <label class="check" for="f-failures"><input id="f-failures" name="failures" type="checkbox" value="1"${filter.hadFailures ? html` checked` : ""}>Had failures</label>
    <button type="submit">Filter</button>
    <p id="f-user-hint" class="hint filter-hints">User: the events that name the user as their actor
      (<code>actor.id</code>), in <code>recipient_ids</code> or in <code>channel.member_ids</code>, or
      whose latest run had a device of the user. Had failures: a failed delivery, a dead token, or the
      event failed.</p>
  </form>`;
}

/** How many events match: counted up to `countBound`, beyond which the count says so. */
export interface MatchCount {
  count: number;
  countBound: number;
}

function matchSummary({ count, countBound }: MatchCount): string {
  if (count === 0) return "No event matches.";
  if (count >= countBound) return `${countBound.toLocaleString("en")}+ events match.`;
  return count === 1 ? "1 event matches." : `${count.toLocaleString("en")} events match.`;
}

export interface EventListView extends MatchCount {
  apps: App[];
  types: readonly string[];
  filter: EventFilter;
  events: EventRecord[];
  /** The query string of the next (older) page, when there is one. */
  olderQuery: string | null;
  /** Whether this page is not the first. */
  paged: boolean;
  notice?: string;
}

function eventRow(record: EventRecord): SafeHtml {
  return html`<tr>
    <td data-label="Received">${time(record.receivedAt)}</td>
    <td data-label="Event"><a href="${consoleBase}/apps/${record.appId}/events/${encodeURIComponent(record.id)}">${record.id}</a></td>
    <td data-label="Type">${record.type}</td>
    <td data-label="Mode">${record.mode}</td>
    <td data-label="Status">${statusLabel(record.status)}</td>
    <td data-label="Recipients">${record.recipients}</td>
    <td data-label="Suppressed">${record.suppressed}</td>
    <td data-label="Sent / failed / dead / expired / pending">${record.sent} / ${record.failed} / ${record.invalidTokens} / ${record.expired} / ${pending(record)}</td>
  </tr>`;
}

export function eventListPage(locals: ConsoleLocals, view: EventListView): SafeHtml {
  const { filter } = view;
  const rows = view.events.map(eventRow);
  const pager = [
    view.paged ? html`<a href="${consoleBase}/events?${filterQuery(filter)}">Newest events</a>` : "",
    view.olderQuery ? html`<a href="${consoleBase}/events?${view.olderQuery}">Older events</a>` : "",
  ];
  return page({
    title: "Events",
    section: "events",
    locals,
    body: html`<div class="events-page">
      ${focusedNotice(view.notice)}
      ${view.apps.length ? filterForm(view.apps, view.types, filter) : html`<p>Create an app first.</p>`}
      <p id="match-count">${matchSummary(view)}</p>
      <table class="stack-narrow" aria-describedby="match-count">
        <caption class="visually-hidden">Events, newest first</caption>
        <thead><tr><th scope="col">Received</th><th scope="col">Event</th><th scope="col">Type</th><th scope="col">Mode</th>
          <th scope="col">Status</th><th scope="col">Recipients</th><th scope="col">Suppressed</th>
          <th scope="col">Sent / failed / dead / expired / pending</th></tr></thead>
        <tbody>${rows.length ? rows : html`<tr><td colspan="8">No event matches.</td></tr>`}</tbody>
      </table>
      ${view.paged || view.olderQuery ? html`<p class="actions">${pager}</p>` : ""}
      ${
        view.apps.length
          ? html`<h2 id="bulk-heading">Replay the matching events</h2>
            <p>Queues again every finished (completed, failed or expired) event these filters match; you
              confirm on the next page, which says how many.</p>
            <p><a href="${consoleBase}/events/replay?${filterQuery(filter)}">Replay the matching events…</a></p>`
          : ""
      }
    </div>`,
  });
}

/** The filter's fields, each as its own hidden input, for the confirmed replay. */
function filterFields(filter: EventFilter): SafeHtml[] {
  return [...new URLSearchParams(filterQuery(filter))].map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  );
}

function describeFilter(filter: EventFilter): SafeHtml {
  const facts: [string, string][] = [
    ["App", filter.appId],
    ["Event id", filter.id],
    ["Type", filter.type],
    ["Status", filter.status],
    ["User", filter.user],
    ["Channel", filter.channel],
    ["Had failures", filter.hadFailures ? "yes" : ""],
    ["Received since (UTC)", filter.since],
    ["until (UTC)", filter.until],
  ];
  return html`<dl class="facts">${facts
    .filter(([, value]) => value !== "")
    .map(([name, value]) => html`<dt>${name}</dt><dd>${value}</dd>`)}</dl>`;
}

export interface ReplayConfirmView {
  filter: EventFilter;
  /** Finished events matching, counted up to one more than a replay takes. */
  count: number;
  /** Events one replay queues again at most (EVENT_REPLAY_BULK_MAX). */
  bulkMax: number;
}

export function replayConfirmPage(locals: ConsoleLocals, view: ReplayConfirmView): SafeHtml {
  const { filter, count, bulkMax } = view;
  const back = `${consoleBase}/events?${filterQuery(filter)}`;
  const replayed = Math.min(count, bulkMax);
  const what =
    count > bulkMax
      ? `More than ${bulkMax.toLocaleString("en")} finished events match: the oldest ${bulkMax.toLocaleString("en")} are queued again (a replay takes at most that many); replay again for the rest.`
      : `${count.toLocaleString("en")} finished event${count === 1 ? "" : "s"} match${count === 1 ? "es" : ""}: ${count === 1 ? "it is" : "they are"} queued again.`;
  return page({
    title: count
      ? `Replay ${replayed.toLocaleString("en")} event${replayed === 1 ? "" : "s"}?`
      : "Nothing to replay",
    section: "events",
    locals,
    body: html`<div class="events-page">
      <p>The filters:</p>
      ${describeFilter(filter)}
      ${
        count
          ? html`<p>${what} Tokens that got the notification, or are dead, are not sent to again; failed and
              expired ones are. Events still in flight are left alone.</p>
            <form method="post" action="${consoleBase}/events/replay" class="actions">
              ${csrfField(locals)}${filterFields(filter)}
              <button type="submit" class="danger">Replay ${replayed.toLocaleString("en")} event${replayed === 1 ? "" : "s"}</button>
              <a class="tap" href="${back}">Cancel</a>
            </form>`
          : html`<p>No finished event matches these filters. <a href="${back}">Back to the events</a></p>`
      }
    </div>`,
  });
}
