import { freePort } from "./free-port.js";
import { GatewayProcess } from "./gateway-process.js";
import type { ProcessMemory } from "./process-memory.js";

export interface GatewayClusterOptions {
  /** The settings both roles share (database, Redis, prefix, endpoints, keys, limits). */
  env: Record<string, string>;
  logDir: string;
  profileDir?: string;
}

/** One `api` process and one `worker` process on the same database and Redis. */
export class GatewayCluster {
  private workerStarts = 1;
  /** Every worker started, killed ones included, for their peak memory. */
  private readonly retiredWorkers: GatewayProcess[] = [];

  private constructor(
    private readonly options: GatewayClusterOptions,
    readonly api: GatewayProcess,
    readonly apiUrl: string,
    private currentWorker: GatewayProcess,
  ) {}

  static async start(options: GatewayClusterOptions): Promise<GatewayCluster> {
    const port = await freePort();
    const apiUrl = `http://127.0.0.1:${port}`;
    // The api first: it applies the migrations before the worker opens the database.
    const api = await GatewayProcess.start({
      name: "api",
      role: "api",
      env: { ...options.env, PORT: String(port) },
      logDir: options.logDir,
      profileDir: options.profileDir,
      readyUrl: `${apiUrl}/readyz`,
    });
    try {
      return new GatewayCluster(options, api, apiUrl, await startWorker(options, 1));
    } catch (error) {
      await api.stop();
      throw error;
    }
  }

  get worker(): GatewayProcess {
    return this.currentWorker;
  }

  /** kill -9 the worker, then start a fresh one. */
  async killWorker(): Promise<void> {
    await this.currentWorker.kill();
    this.retiredWorkers.push(this.currentWorker);
  }

  async replaceWorker(): Promise<void> {
    this.workerStarts += 1;
    this.currentWorker = await startWorker(this.options, this.workerStarts);
  }

  /** The highest VmHWM of the api and of any worker process so far. */
  peakMemory(): { api: ProcessMemory | null; worker: ProcessMemory | null } {
    const workers = [...this.retiredWorkers, this.currentWorker]
      .map((each) => each.memory())
      .filter((memory): memory is ProcessMemory => memory !== null);
    const worker = workers.reduce<ProcessMemory | null>(
      (highest, each) => (highest && highest.peakRssBytes >= each.peakRssBytes ? highest : each),
      null,
    );
    return { api: this.api.memory(), worker };
  }

  async stop(): Promise<void> {
    await Promise.all([this.api.stop(), this.currentWorker.stop()]);
  }
}

async function startWorker(options: GatewayClusterOptions, ordinal: number): Promise<GatewayProcess> {
  // A worker has no HTTP server: its metrics listener tells when it is up.
  const metricsPort = await freePort();
  return GatewayProcess.start({
    name: ordinal === 1 ? "worker" : `worker-${ordinal}`,
    role: "worker",
    env: { ...options.env, METRICS_PORT: String(metricsPort) },
    logDir: options.logDir,
    profileDir: options.profileDir,
    readyUrl: `http://127.0.0.1:${metricsPort}/metrics`,
  });
}
