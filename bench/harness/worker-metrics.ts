import type { GatewayProcess } from "./gateway-process.js";

/** The sum of a Prometheus counter over the series whose labels include `labels`, from a worker's `/metrics`. */
export async function counterSum(
  worker: GatewayProcess,
  metric: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(worker.readyUrl, { signal: AbortSignal.timeout(5000) })).text();
  const wanted = Object.entries(labels).map(([name, value]) => `${name}="${value}"`);
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    if (wanted.some((label) => !line.includes(label))) continue;
    sum += Number(line.slice(line.lastIndexOf(" ") + 1)) || 0;
  }
  return sum;
}
