import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: commands run from there, as after a fresh clone. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** How `pushgate` is started, and in which directory. */
export interface CliLaunch {
  command: string[];
  cwd: string;
}

/** The TypeScript source through tsx, from the repository root. */
export const fromSource: CliLaunch = {
  command: [process.execPath, "--import", "tsx", "src/cli/main.ts"],
  cwd: repoRoot,
};

function spawnCli(args: string[], env: Record<string, string>, launch: CliLaunch): ChildProcess {
  const [file, ...leading] = launch.command as [string, ...string[]];
  return spawn(file, [...leading, ...args], {
    cwd: launch.cwd,
    env: { ...process.env, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `pushgate …` to its end, as a user would type it. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  launch: CliLaunch = fromSource,
): Promise<CliResult> {
  const child = spawnCli(args, env, launch);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A `pushgate …` that runs until stopped (start, listen, simulate), with its output so far. */
export class RunningCli {
  stdout = "";
  stderr = "";
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;

  constructor(args: string[], env: Record<string, string> = {}, launch: CliLaunch = fromSource) {
    this.child = spawnCli(args, env, launch);
    this.child.stdout?.on("data", (chunk) => {
      this.stdout += chunk;
    });
    this.child.stderr?.on("data", (chunk) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => this.child.once("close", resolve));
  }

  /** Resolves with the first match of `pattern` in stdout, once it is printed. */
  async waitForOutput(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = this.stdout.match(pattern);
      if (match) return match;
      if (this.child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`no ${pattern} in the output of pushgate:\n${this.stdout}\n${this.stderr}`);
  }

  /** Ctrl-C (or another signal), then the exit code. */
  stop(signal: NodeJS.Signals = "SIGINT"): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill(signal);
    return this.exited;
  }
}
