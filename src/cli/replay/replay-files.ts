import { ProgressLine } from "./progress-line.js";
import { failed, type ReplayOutcome } from "./replay-outcome.js";
import { readJson } from "./sample-files.js";

/**
 * Replays the files one at a time, in the order given, so a conversation replays as it
 * happened (the samples' numbered names keep theirs); prints a line per file and a
 * summary; resolves with the number of failures.
 */
export async function replayFiles(
  files: string[],
  replayOne: (sample: unknown) => Promise<ReplayOutcome>,
): Promise<number> {
  const progress = new ProgressLine(process.stdout, files.length);
  const tallies = new Map<string, number>();
  let failures = 0;
  for (const [index, file] of files.entries()) {
    progress.show(index, file);
    const outcome = await readJson(file).then(replayOne, (error: Error) => failed(error.message));
    progress.print(`${outcome.ok ? "✓" : "✗"} ${file}  ${outcome.detail}`);
    tallies.set(outcome.tally, (tallies.get(outcome.tally) ?? 0) + 1);
    if (!outcome.ok) failures += 1;
  }
  const counts = [...tallies].map(([tally, count]) => `${count} ${tally}`).join(", ");
  process.stdout.write(`${files.length} file${files.length === 1 ? "" : "s"}: ${counts}\n`);
  return failures;
}
