import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Settings } from "../../src/config/settings.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** `pushgate start --role worker` in its own process, sharing the test gateway's database and Redis. */
export function startWorkerProcess(settings: Settings, extra: Record<string, string> = {}): ChildProcess {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn" };
  for (const [name, value] of Object.entries(settings)) {
    if (value !== undefined && name !== "PORT") env[name] = String(value);
  }
  Object.assign(env, extra);
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(root, "src/cli/main.ts"), "start", "--role", "worker"],
    {
      cwd: root,
      env,
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  return child;
}

export function killed(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}
