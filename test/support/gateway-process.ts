import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import type { Settings } from "../../src/config/settings.js";
import { freePort } from "../../src/queue/embedded-redis.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function environmentOf(settings: Settings, extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn" };
  for (const [name, value] of Object.entries(settings)) {
    if (value !== undefined && name !== "PORT") env[name] = String(value);
  }
  return Object.assign(env, extra);
}

function spawnGateway(role: "api" | "worker", env: Record<string, string>): ChildProcess {
  return spawn(
    process.execPath,
    ["--import", "tsx", path.join(root, "src/cli/main.ts"), "start", "--role", role],
    {
      cwd: root,
      env,
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
}

/** `pushgate start --role worker` in its own process, sharing the test gateway's database and Redis. */
export function startWorkerProcess(settings: Settings, extra: Record<string, string> = {}): ChildProcess {
  return spawnGateway("worker", environmentOf(settings, extra));
}

/** `pushgate start --role api` in its own process; resolves once it answers `/healthz`. */
export async function startApiProcess(
  settings: Settings,
  extra: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawnGateway("api", { ...environmentOf(settings, extra), PORT: String(port) });
  const url = `http://${settings.HOST}:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`the api process exited with ${child.exitCode}`);
    const answer = await fetch(`${url}/healthz`).catch(() => null);
    if (answer?.ok) return { child, url };
    await sleep(50);
  }
  child.kill("SIGKILL");
  throw new Error("the api process did not answer /healthz within 15 s");
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
