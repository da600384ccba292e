import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import type { Settings } from "../../src/config/settings.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function environmentOf(settings: Settings, extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn" };
  for (const [name, value] of Object.entries(settings)) {
    if (value !== undefined && name !== "PORT") env[name] = String(value);
  }
  return Object.assign(env, extra);
}

function spawnGateway(
  role: "api" | "worker",
  env: Record<string, string>,
  stdout: "inherit" | "pipe" = "inherit",
): ChildProcess {
  return spawn(
    process.execPath,
    ["--import", "tsx", path.join(root, "src/cli/main.ts"), "start", "--role", role],
    {
      cwd: root,
      env,
      stdio: ["ignore", stdout, "inherit"],
    },
  );
}

/** `pushgate start --role worker` in its own process, sharing the test gateway's database and Redis. */
export function startWorkerProcess(settings: Settings, extra: Record<string, string> = {}): ChildProcess {
  return spawnGateway("worker", environmentOf(settings, extra));
}

/**
 * `pushgate start --role api` in its own process, on a port the system picks (`PORT=0`): resolves
 * with the address the process itself logs once it listens, so no other process can have taken
 * it meanwhile. Its log lines at the settings' `LOG_LEVEL` and above are passed on to stdout.
 */
export async function startApiProcess(
  settings: Settings,
  extra: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<{ child: ChildProcess; url: string }> {
  const env = environmentOf(settings, extra);
  const shownFrom = pino.levels.values[env.LOG_LEVEL ?? ""] ?? Number.POSITIVE_INFINITY;
  const child = spawnGateway("api", { ...env, PORT: "0", LOG_LEVEL: "info", LOG_FORMAT: "json" }, "pipe");
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the api process did not say where it listens within ${timeoutMs} ms`));
    }, timeoutMs);
    const exited = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`the api process exited with ${code} before it listened`));
    };
    child.once("exit", exited);
    lines.on("line", (line) => {
      const entry = parsedLogLine(line);
      if (!entry || entry.level >= shownFrom) process.stdout.write(`${line}\n`);
      if (entry?.msg === "pushgate started" && typeof entry.url === "string") {
        clearTimeout(timer);
        child.off("exit", exited);
        resolve(entry.url);
      }
    });
  });
  return { child, url };
}

function parsedLogLine(line: string): { level: number; msg?: string; url?: unknown } | null {
  try {
    const entry = JSON.parse(line);
    return typeof entry?.level === "number" ? entry : null;
  } catch {
    return null;
  }
}

export function killed(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

/**
 * Settings of a test gateway that serves HTTP only, for tests whose workers are processes they
 * kill: few sends in flight (`inFlightBound`), a dead worker's jobs taken over within seconds.
 */
export function killableWorkerSettings(inFlightBound: number): Record<string, unknown> {
  return {
    PUSHGATE_ROLE: "api",
    RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE: 100_000,
    RATE_LIMIT_DEVICE_WRITES_PER_MINUTE: 100_000,
    DELIVERY_WORKER_CONCURRENCY: 1,
    DELIVERY_CONCURRENCY: inFlightBound,
    APNS_MAX_STREAMS_IN_FLIGHT: inFlightBound,
    WORKER_LOCK_DURATION_MS: 1500,
    WORKER_STALLED_INTERVAL_MS: 500,
  };
}
