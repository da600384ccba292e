import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PortTakenError } from "../../src/queue/embedded-redis.js";
import { dockerfileStages } from "../../test/cli/image-layout.js";
import { hasExited, stopChild, waitUntil } from "./child-exit.js";
import { type ProcessMemory, processMemory } from "./process-memory.js";

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export type GatewayRole = "api" | "worker";

/** Settings of the image's Dockerfile that tune the process, not where it keeps its data. */
const imageProcessSettings = new Set(["HEAP_GROWTH_PERCENT"]);

/** What the image's Dockerfile sets of Node's own environment (NODE_ENV, NODE_OPTIONS) and of the process's tuning. */
function imageNodeEnvironment(): Record<string, string> {
  const image = dockerfileStages().at(-1);
  return Object.fromEntries(
    Object.entries(image?.env ?? {}).filter(
      ([name]) => name.startsWith("NODE_") || imageProcessSettings.has(name),
    ),
  );
}

/** `tsx`: the TypeScript source through tsx, as in development; `dist`: the build, as the image runs it. */
export type GatewayBuild = "tsx" | "dist";

function commandLine(build: GatewayBuild, role: GatewayRole): string[] {
  const entry = build === "dist" ? ["dist/cli/main.js"] : ["--import", "tsx", "src/cli/main.ts"];
  return [...entry, "start", "--role", role];
}

export interface GatewayProcessOptions {
  /** Names the log file and the CPU profile, e.g. `worker-2`. */
  name: string;
  role: GatewayRole;
  build: GatewayBuild;
  env: Record<string, string>;
  /** Where the process's stdout and stderr go. */
  logDir: string;
  /** Write `--cpu-prof` profiles under `<profileDir>/<name>/` when the process exits. */
  profileDir?: string;
  /** What answers 200 once the process is up: `/readyz` of the api, `/metrics` of a worker. */
  readyUrl: string;
}

/** `pushgate start --role …` as its own process, the way an operator runs it. */
export class GatewayProcess {
  private lastMemory: ProcessMemory | null = null;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly logFile: string,
    /** `/readyz` of the api, `/metrics` of a worker. */
    readonly readyUrl: string,
  ) {}

  static async start(options: GatewayProcessOptions): Promise<GatewayProcess> {
    const logFile = path.join(options.logDir, `${options.name}.log`);
    const log = openSync(logFile, "a");
    const logStart = statSync(logFile).size;
    // One folder per process: tsx's loader thread writes a profile of its own next to the main one.
    const profiling = options.profileDir
      ? ["--cpu-prof", "--cpu-prof-dir", path.join(options.profileDir, options.name)]
      : [];
    // A dist run is meant to be the image's process: with the environment its Dockerfile sets.
    const env = options.build === "dist" ? { ...imageNodeEnvironment(), ...options.env } : options.env;
    const child = spawn(process.execPath, [...profiling, ...commandLine(options.build, options.role)], {
      cwd: projectRoot,
      env,
      stdio: ["ignore", log, log],
    });
    closeSync(log);
    const gatewayProcess = new GatewayProcess(options.name, child, logFile, options.readyUrl);
    await waitUntil(
      async () => {
        if (hasExited(child)) {
          const said = readFileSync(logFile).subarray(logStart).toString();
          // The port was free when chosen, and another process bound it first.
          if (/the port is taken/.test(said)) throw new PortTakenError(`${options.name}: ${said.trim()}`);
          throw new Error(`${options.name} exited at start; see ${logFile}`);
        }
        return answers200(options.readyUrl);
      },
      `${options.name} ready at ${options.readyUrl}`,
      60_000,
      100,
    );
    return gatewayProcess;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** The process's memory now, or as last seen when it is gone. */
  memory(): ProcessMemory | null {
    const now = hasExited(this.child) ? null : processMemory(this.pid);
    if (now) this.lastMemory = now;
    return this.lastMemory;
  }

  /** SIGSTOP: the process keeps its connections but runs nothing until `resume()`. */
  pause(): void {
    this.memory();
    this.child.kill("SIGSTOP");
  }

  resume(): void {
    this.child.kill("SIGCONT");
  }

  /** kill -9: no drain, locks left to expire. */
  async kill(): Promise<void> {
    this.memory();
    await stopChild(this.child, "SIGKILL");
  }

  /** SIGTERM: the gateway drains and exits (and writes its CPU profile). */
  async stop(): Promise<void> {
    this.memory();
    this.resume();
    await stopChild(this.child, "SIGTERM", 30_000);
  }
}

async function answers200(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}
