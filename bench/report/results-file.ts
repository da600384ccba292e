import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** `<dir>/<name>-<timestamp>.json`; returns the path. */
export function writeResultsFile(dir: string, name: string, startedAt: Date, results: unknown): string {
  mkdirSync(dir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, "-");
  const file = path.join(dir, `${name}-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

export function runDirectory(dir: string, name: string, startedAt: Date): string {
  const runDir = path.join(dir, `${name}-${startedAt.toISOString().replace(/[:.]/g, "-")}`);
  mkdirSync(runDir, { recursive: true });
  return runDir;
}
