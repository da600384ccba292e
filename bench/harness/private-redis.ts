import type { ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { spawnRedisServer, startOnFreePort } from "../../src/queue/embedded-redis.js";
import { stopChild } from "./child-exit.js";

/**
 * A redis-server of the bench's own, AOF on as the gateway's private one, on a fixed port so
 * that it can be killed and started again on the same data (the Redis drill).
 */
export class PrivateRedis {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  /** The running redis-server's process id, or undefined before it starts. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** On a free port, or on another one when that one is taken before redis-server binds it. */
  static async start(dir: string): Promise<PrivateRedis> {
    mkdirSync(dir, { recursive: true });
    return startOnFreePort(async (port) => {
      const redis = new PrivateRedis(port, dir);
      await redis.start();
      return redis;
    });
  }

  /** Starts (again) on its port; rejects if another process took the port meanwhile. */
  async start(): Promise<void> {
    this.child = await spawnRedisServer(this.port, [
      ...["--dir", this.dir, "--appendonly", "yes", "--appendfsync", "everysec", "--save", ""],
    ]);
  }

  /** A crash: SIGKILL, no shutdown; what the AOF holds is what comes back. */
  async kill(): Promise<void> {
    if (this.child) await stopChild(this.child, "SIGKILL");
  }

  async stop(): Promise<void> {
    if (this.child) await stopChild(this.child, "SIGTERM", 5000);
  }
}
