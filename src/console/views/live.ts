import type { ConsoleLocals } from "../console-auth.js";
import { consoleBase } from "../console-auth.js";
import { html, type SafeHtml } from "../html.js";
import { deliveryOutcomes, type LiveSample } from "../live/metrics-sampler.js";
import { lineChart } from "./chart.js";
import { page } from "./layout.js";

export function liveCharts(samples: LiveSample[], intervalMs: number): SafeHtml {
  const minutes = Math.round((samples.length * intervalMs) / 60000);
  const window = samples.length ? `last ${minutes || "<1"} min` : "collecting the first samples";
  return html`<div id="charts" class="charts" hx-get="${consoleBase}/live/charts" hx-trigger="every ${intervalMs / 1000}s" hx-swap="outerHTML">
    ${lineChart("Events accepted", "/s", [{ label: "events", values: samples.map((s) => s.eventsPerSecond) }], window)}
    ${lineChart(
      "Deliveries by outcome",
      "/s",
      deliveryOutcomes.map((outcome) => ({
        label: outcome,
        values: samples.map((s) => s.deliveriesPerSecond[outcome]),
      })),
      window,
    )}
    ${lineChart("Webhook latency (mean)", "ms", [{ label: "latency", values: samples.map((s) => s.webhookLatencyMs) }], window)}
  </div>`;
}

export function livePage(locals: ConsoleLocals, samples: LiveSample[], intervalMs: number): SafeHtml {
  return page({
    title: "Live",
    section: "live",
    locals,
    body: html`<p>Rates from this gateway process's own metrics, sampled every ${intervalMs / 1000} s
      (the same counters <code>/metrics</code> exposes). The charts refresh on their own.</p>
      ${liveCharts(samples, intervalMs)}`,
  });
}
