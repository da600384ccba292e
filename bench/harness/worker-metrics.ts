import type { GatewayProcess } from "./gateway-process.js";

/** The Prometheus exposition at `url` (a worker's `/metrics`, or the api's). */
export async function scrapeMetrics(url: string): Promise<string> {
  return (await fetch(url, { signal: AbortSignal.timeout(5000) })).text();
}

/** The sum of a counter in `exposition` over the series whose labels include `labels`. */
export function sumOfCounter(
  exposition: string,
  metric: string,
  labels: Record<string, string> = {},
): number {
  const wanted = Object.entries(labels).map(([name, value]) => `${name}="${value}"`);
  let sum = 0;
  for (const line of exposition.split("\n")) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    if (wanted.some((label) => !line.includes(label))) continue;
    sum += Number(line.slice(line.lastIndexOf(" ") + 1)) || 0;
  }
  return sum;
}

/** A counter of `exposition` by the value of one of its labels, summed over the others. */
export function countsByLabel(exposition: string, metric: string, label: string): Map<string, number> {
  const counts = new Map<string, number>();
  const labelValue = new RegExp(`[{,]${label}="([^"]*)"`);
  for (const line of exposition.split("\n")) {
    if (!line.startsWith(`${metric}{`)) continue;
    const value = labelValue.exec(line)?.[1];
    if (value === undefined) continue;
    counts.set(value, (counts.get(value) ?? 0) + (Number(line.slice(line.lastIndexOf(" ") + 1)) || 0));
  }
  return counts;
}

/** The sum of a Prometheus counter over the series whose labels include `labels`, from a worker's `/metrics`. */
export async function counterSum(
  worker: GatewayProcess,
  metric: string,
  labels: Record<string, string> = {},
): Promise<number> {
  return sumOfCounter(await scrapeMetrics(worker.readyUrl), metric, labels);
}
