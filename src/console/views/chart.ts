import { html, type SafeHtml } from "../html.js";

export interface Series {
  label: string;
  /** One value per sample; null where there is none (drawn as a gap). */
  values: (number | null)[];
}

const width = 480;
const height = 180;
const pad = { left: 44, right: 8, top: 10, bottom: 22 };

/** A round upper bound for the y axis, so gridline labels read well. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((step) => step * magnitude >= value) ?? 10) * magnitude;
}

function format(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** A line chart as inline SVG (no script), with a text summary for screen readers. */
export function lineChart(title: string, unit: string, series: Series[], windowLabel: string): SafeHtml {
  const points = Math.max(2, ...series.map((each) => each.values.length));
  const max = niceMax(
    Math.max(0, ...series.flatMap((each) => each.values.filter((v): v is number => v !== null))),
  );
  const x = (index: number) => pad.left + (index / (points - 1)) * (width - pad.left - pad.right);
  const y = (value: number) => pad.top + (1 - value / max) * (height - pad.top - pad.bottom);
  const lines = series.map((each, index) => {
    const segments: string[][] = [[]];
    each.values.forEach((value, at) => {
      if (value === null) segments.push([]);
      else segments.at(-1)?.push(`${x(at).toFixed(1)},${y(value).toFixed(1)}`);
    });
    return segments
      .filter((segment) => segment.length > 0)
      .map((segment) => html`<polyline class="series-${index}" points="${segment.join(" ")}"></polyline>`);
  });
  const latest = series.map((each) => {
    const value = [...each.values].reverse().find((v) => v !== null);
    return html`<li class="series-${series.indexOf(each)}">${each.label}: ${value === undefined || value === null ? "—" : `${format(value)} ${unit}`}</li>`;
  });
  return html`<figure>
    <figcaption>${title}</figcaption>
    <svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}, ${windowLabel}; latest values below">
      <line class="axis" x1="${pad.left}" y1="${height - pad.bottom}" x2="${width - pad.right}" y2="${height - pad.bottom}"></line>
      <line class="axis" x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${height - pad.bottom}"></line>
      <text class="grid-label" x="4" y="${pad.top + 10}">${format(max)}</text>
      <text class="grid-label" x="4" y="${height - pad.bottom}">0</text>
      <text class="grid-label" x="${pad.left}" y="${height - 6}">${windowLabel}</text>
      <text class="grid-label" x="${width - pad.right - 24}" y="${height - 6}">now</text>
      ${lines}
    </svg>
    <ul class="legend">${latest}</ul>
  </figure>`;
}
