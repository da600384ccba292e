import { startOnFreePort } from "../../src/queue/embedded-redis.js";
import { type GatewayBuild, GatewayProcess } from "./gateway-process.js";
import type { ProcessMemory } from "./process-memory.js";

export interface GatewayClusterOptions {
  /** The settings every role shares (database, Redis, prefix, endpoints, keys, limits). */
  env: Record<string, string>;
  logDir: string;
  profileDir?: string;
  /** What the processes run: the TypeScript source under tsx (default), or `dist/`. */
  build?: GatewayBuild;
  /** Worker processes to start with the api (default 1). */
  workers?: number;
}

export interface PeakMemory {
  build: GatewayBuild;
  api: ProcessMemory | null;
  workers: (ProcessMemory & { name: string })[];
}

/** One `api` process and one or more `worker` processes on the same database and Redis. */
export class GatewayCluster {
  private workerStarts = 0;
  private readonly runningWorkers: GatewayProcess[] = [];
  /** Every worker stopped or killed, for their peak memory. */
  private readonly retiredWorkers: GatewayProcess[] = [];

  private constructor(
    private readonly options: GatewayClusterOptions,
    readonly api: GatewayProcess,
    readonly apiUrl: string,
  ) {}

  static async start(options: GatewayClusterOptions): Promise<GatewayCluster> {
    // The api first: it applies the migrations before a worker opens the database.
    const { api, apiUrl } = await startOnFreePort(async (port) => {
      const apiUrl = `http://127.0.0.1:${port}`;
      const api = await GatewayProcess.start({
        name: "api",
        role: "api",
        build: options.build ?? "tsx",
        env: { ...options.env, PORT: String(port) },
        logDir: options.logDir,
        profileDir: options.profileDir,
        readyUrl: `${apiUrl}/readyz`,
      });
      return { api, apiUrl };
    });
    const cluster = new GatewayCluster(options, api, apiUrl);
    try {
      for (let started = 0; started < (options.workers ?? 1); started++) await cluster.addWorker();
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  /** The first running worker: the one the drills kill and the ingest figure pauses. */
  get worker(): GatewayProcess {
    const first = this.runningWorkers[0];
    if (!first) throw new Error("no worker process is running");
    return first;
  }

  get workers(): readonly GatewayProcess[] {
    return this.runningWorkers;
  }

  get logDir(): string {
    return this.options.logDir;
  }

  get build(): GatewayBuild {
    return this.options.build ?? "tsx";
  }

  /** `/metrics` of the api and of every running worker. */
  metricsUrls(): string[] {
    return [`${this.apiUrl}/metrics`, ...this.runningWorkers.map((worker) => worker.readyUrl)];
  }

  /** Starts one more worker process; resolves once it is up. */
  async addWorker(): Promise<GatewayProcess> {
    this.workerStarts += 1;
    const worker = await startWorker(this.options, this.workerStarts);
    this.runningWorkers.push(worker);
    return worker;
  }

  /** kill -9 the first worker. */
  async killWorker(): Promise<void> {
    const killed = this.worker;
    await killed.kill();
    this.runningWorkers.splice(this.runningWorkers.indexOf(killed), 1);
    this.retiredWorkers.push(killed);
  }

  /** Pauses (SIGSTOP) or resumes every worker. */
  pauseWorkers(): void {
    for (const worker of this.runningWorkers) worker.pause();
  }

  resumeWorkers(): void {
    for (const worker of this.runningWorkers) worker.resume();
  }

  /** The VmHWM of the api and of each worker process so far. */
  peakMemory(): PeakMemory {
    const workers = [...this.retiredWorkers, ...this.runningWorkers].flatMap((each) => {
      const memory = each.memory();
      return memory ? [{ name: each.name, ...memory }] : [];
    });
    return { build: this.build, api: this.api.memory(), workers };
  }

  async stop(): Promise<void> {
    await Promise.all([this.api.stop(), ...this.runningWorkers.map((worker) => worker.stop())]);
  }
}

async function startWorker(options: GatewayClusterOptions, ordinal: number): Promise<GatewayProcess> {
  // A worker has no HTTP server: its metrics listener tells when it is up.
  return startOnFreePort((metricsPort) =>
    GatewayProcess.start({
      name: ordinal === 1 ? "worker" : `worker-${ordinal}`,
      role: "worker",
      build: options.build ?? "tsx",
      env: { ...options.env, METRICS_PORT: String(metricsPort) },
      logDir: options.logDir,
      profileDir: options.profileDir,
      readyUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    }),
  );
}
