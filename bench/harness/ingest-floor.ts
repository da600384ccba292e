import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { stopChild } from "./child-exit.js";
import { projectRoot } from "./gateway-process.js";

export interface IngestFloorOptions {
  redisUrl: string;
  /** Its own key prefix on the gateway's Redis. */
  prefix: string;
  /** The app's `event_secret` the load generator signs with. */
  eventSecret: string;
  toleranceSeconds: number;
  logDir: string;
}

/** The ingest floor server (ingest-floor-server.ts) as a child process on a port of its own choosing. */
export class IngestFloor {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(options: IngestFloorOptions): Promise<IngestFloor> {
    const log = openSync(path.join(options.logDir, "ingest-floor.log"), "a");
    const child = spawn(process.execPath, ["--import", "tsx", "bench/harness/ingest-floor-server.ts"], {
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH ?? "",
        FLOOR_REDIS_URL: options.redisUrl,
        FLOOR_PREFIX: options.prefix,
        FLOOR_EVENT_SECRET: options.eventSecret,
        FLOOR_TOLERANCE_SECONDS: String(options.toleranceSeconds),
      },
      stdio: ["ignore", "pipe", log],
    });
    closeSync(log);
    try {
      const port = await firstLinePort(child);
      return new IngestFloor(child, `http://127.0.0.1:${port}`);
    } catch (error) {
      await stopChild(child, "SIGKILL");
      throw error;
    }
  }

  get pid(): number {
    return this.child.pid as number;
  }

  stop(): Promise<void> {
    return stopChild(this.child, "SIGTERM", 5000);
  }
}

function firstLinePort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const timer = setTimeout(() => reject(new Error("the ingest floor did not start within 30 s")), 30_000);
    child.once("exit", (code) =>
      reject(new Error(`the ingest floor exited at start (${code}); see its log`)),
    );
    lines.once("line", (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
  });
}
