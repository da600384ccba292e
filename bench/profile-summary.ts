/**
 * Reads `--cpu-prof` profiles and prints where the time went: by package or source folder, and
 * the functions with the most self time and the project's own functions with the most total time.
 * A profile of `dist/` is read through the build's source maps, so it names the same files.
 * `npx tsx bench/profile-summary.ts <dir or .cpuprofile>…` works on its own too.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { SourceMap, type SourceMapPayload } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { formatTable } from "./report/table.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** `node_modules/<package>`, `src/<folder>`, `node:<module>` or a V8 pseudo-frame such as `(garbage collector)`. */
function areaOf(frame: ProfileNode["callFrame"]): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  const own = /\/(src|bench)\/([^/]+)\//.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  if (url.startsWith("node:")) return url.replace(/^node:(internal\/)?/, "node:").split("/")[0] as string;
  return path.basename(url);
}

function labelOf(frame: ProfileNode["callFrame"]): string {
  const file = frame.url
    ? `${frame.url.replace(/^.*\/(node_modules|src|bench)\//, "$1/")}:${frame.lineNumber + 1}`
    : "";
  return `${frame.functionName || "(anonymous)"} ${file}`.trim();
}

/** The source map beside a bundled file (`<file>.map`), or undefined for a file without one. */
function sourceMapOf(url: string, cache: Map<string, SourceMap | undefined>): SourceMap | undefined {
  if (cache.has(url)) return cache.get(url);
  const mapFile = url.startsWith("file:") ? `${fileURLToPath(url)}.map` : undefined;
  const map =
    mapFile && existsSync(mapFile)
      ? new SourceMap(JSON.parse(readFileSync(mapFile, "utf8")) as SourceMapPayload)
      : undefined;
  cache.set(url, map);
  return map;
}

/** Each frame of a bundle placed at its source file and line, as a profile of the source has it. */
function atOriginalPositions(profile: CpuProfile): CpuProfile {
  const maps = new Map<string, SourceMap | undefined>();
  for (const { callFrame } of profile.nodes) {
    const entry = sourceMapOf(callFrame.url, maps)?.findEntry(callFrame.lineNumber, callFrame.columnNumber);
    if (!entry || !("originalSource" in entry)) continue;
    callFrame.url = new URL(entry.originalSource, callFrame.url).href;
    callFrame.lineNumber = entry.originalLine;
  }
  return profile;
}

interface Summary {
  totalMs: number;
  byArea: Map<string, number>;
  selfByFunction: Map<string, number>;
  totalByOwnFunction: Map<string, number>;
}

function summarize(profile: CpuProfile): Summary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const summary: Summary = {
    totalMs: 0,
    byArea: new Map(),
    selfByFunction: new Map(),
    totalByOwnFunction: new Map(),
  };
  const add = (map: Map<string, number>, key: string, value: number) =>
    map.set(key, (map.get(key) ?? 0) + value);
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    const node = nodes.get(id);
    if (!node || node.callFrame.functionName === "(idle)") return;
    summary.totalMs += ms;
    add(summary.byArea, areaOf(node.callFrame), ms);
    add(summary.selfByFunction, labelOf(node.callFrame), ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const frame = (nodes.get(at) as ProfileNode).callFrame;
      if (!/\/src\//.test(frame.url) || /node_modules/.test(frame.url)) continue;
      const label = labelOf(frame);
      if (seen.has(label)) continue;
      seen.add(label);
      add(summary.totalByOwnFunction, label, ms);
    }
  });
  return summary;
}

function top(map: Map<string, number>, totalMs: number, count: number): string[][] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([label, ms]) => [label, `${ms.toFixed(0)} ms`, `${((ms / totalMs) * 100).toFixed(1)}%`]);
}

/**
 * The profiles under `target`: a file, or a folder of one sub-folder per process, where the
 * largest profile is the main thread's (the others are loader threads).
 */
function profileFiles(target: string): string[] {
  if (statSync(target).isFile()) return [target];
  const profiles = (dir: string) =>
    readdirSync(dir)
      .filter((name) => name.endsWith(".cpuprofile"))
      .map((name) => path.join(dir, name));
  const mainThreadOf = (dir: string) => profiles(dir).sort((a, b) => statSync(b).size - statSync(a).size)[0];
  const perProcess = readdirSync(target, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => mainThreadOf(path.join(target, entry.name)))
    .filter((file): file is string => file !== undefined);
  return [...perProcess, ...profiles(target)];
}

export function summarizeProfiles(target: string, count = 15): string {
  return profileFiles(target)
    .map((file) => {
      const summary = summarize(atOriginalPositions(JSON.parse(readFileSync(file, "utf8")) as CpuProfile));
      return [
        `${path.relative(target, file) || file}: ${(summary.totalMs / 1000).toFixed(1)} s on CPU (idle left out)`,
        formatTable(["where", "self", "share"], top(summary.byArea, summary.totalMs, count)),
        formatTable(
          ["function (self time)", "self", "share"],
          top(summary.selfByFunction, summary.totalMs, count),
        ),
        formatTable(
          ["project function (total time)", "total", "share"],
          top(summary.totalByOwnFunction, summary.totalMs, count),
        ),
      ].join("\n\n");
    })
    .join("\n\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const target of process.argv.slice(2)) console.log(summarizeProfiles(target, 25));
}
