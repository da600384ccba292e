import type { App } from "../../domain/apps/app.js";
import type { ConsoleLocals } from "../console-auth.js";
import { consoleBase } from "../console-auth.js";
import { html, type SafeHtml } from "../html.js";
import { type AppSample, appEventsRead, appNotificationOutcomes } from "../live/app-rates.js";
import { deliveryOutcomes, type LiveSample } from "../live/metrics-sampler.js";
import { lineChart } from "./chart.js";
import { page } from "./layout.js";

/** What the live view shows: the whole gateway's metrics (operator only), or one app's rates. */
export type LiveScope = { kind: "gateway"; charts: SafeHtml } | { kind: "app"; app: App; charts: SafeHtml };

function windowLabel(count: number, intervalMs: number): string {
  const minutes = Math.round((count * intervalMs) / 60000);
  return count ? `last ${minutes || "<1"} min` : "collecting the first samples";
}

/** The charts refresh themselves through htmx, from the same address with the same scope. */
function refreshing(path: string, intervalMs: number, charts: SafeHtml): SafeHtml {
  return html`<div id="charts" class="charts" hx-get="${path}" hx-trigger="every ${intervalMs / 1000}s" hx-swap="outerHTML">
    ${charts}
  </div>`;
}

export function liveCharts(samples: LiveSample[], intervalMs: number): SafeHtml {
  const window = windowLabel(samples.length, intervalMs);
  return refreshing(
    `${consoleBase}/live/charts`,
    intervalMs,
    html`${lineChart("Events accepted", "/s", [{ label: "events", values: samples.map((s) => s.eventsPerSecond) }], window)}
    ${lineChart(
      "Deliveries by outcome",
      "/s",
      deliveryOutcomes.map((outcome) => ({
        label: outcome,
        values: samples.map((s) => s.deliveriesPerSecond[outcome]),
      })),
      window,
    )}
    ${lineChart("Webhook latency (mean)", "ms", [{ label: "latency", values: samples.map((s) => s.webhookLatencyMs) }], window)}`,
  );
}

export function appCharts(app: App, samples: AppSample[], intervalMs: number): SafeHtml {
  const window = windowLabel(samples.length, intervalMs);
  return refreshing(
    `${consoleBase}/live/charts?app=${encodeURIComponent(app.id)}`,
    intervalMs,
    html`${lineChart("Events accepted", "/s", [{ label: "events", values: samples.map((s) => s.eventsPerSecond) }], window)}
    ${lineChart(
      "Notifications by outcome",
      "/s",
      appNotificationOutcomes.map((outcome) => ({
        label: outcome,
        values: samples.map((s) => s.notificationsPerSecond[outcome]),
      })),
      window,
    )}`,
  );
}

/** The operator picks the whole gateway or one app. */
function scopePicker(apps: App[], current: App | null): SafeHtml {
  if (apps.length === 0) return html``;
  return html`<form method="get" action="${consoleBase}/live" class="inline" aria-label="Whose rates">
    <label for="live-app">Rates of<select id="live-app" name="app">
      <option value=""${current ? "" : html` selected`}>the whole gateway</option>
      ${apps.map((app) => html`<option value="${app.id}"${app.id === current?.id ? html` selected` : ""}>${app.name} (${app.id})</option>`)}
    </select></label>
    <button type="submit">Show</button>
  </form>`;
}

export function livePage(locals: ConsoleLocals, scope: LiveScope, apps: App[], intervalMs: number): SafeHtml {
  const about =
    scope.kind === "gateway"
      ? html`<p>Rates from this gateway process's own metrics, every app together, sampled every ${intervalMs / 1000} s
          (the same counters <code>/metrics</code> exposes). The charts refresh on their own.</p>`
      : html`<p>Rates of <strong>${scope.app.name}</strong> alone, from its stored events (at most the last
          ${appEventsRead}), per ${intervalMs / 1000} s: events by when they were received, notifications by when
          their event completed. The charts refresh on their own.</p>`;
  return page({
    title: scope.kind === "app" ? `Live: ${scope.app.name}` : "Live",
    section: "live",
    locals,
    body: html`${scopePicker(apps, scope.kind === "app" ? scope.app : null)}
      ${about}
      ${scope.charts}`,
  });
}
