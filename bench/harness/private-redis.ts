import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { freePort, redisAnswers } from "../../src/queue/embedded-redis.js";
import { hasExited, stopChild, waitUntil } from "./child-exit.js";

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

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(dir: string): Promise<PrivateRedis> {
    mkdirSync(dir, { recursive: true });
    const redis = new PrivateRedis(await freePort(), dir);
    await redis.start();
    return redis;
  }

  async start(): Promise<void> {
    const child = spawn(
      "redis-server",
      [
        ...["--port", String(this.port), "--bind", "127.0.0.1", "--dir", this.dir],
        ...["--appendonly", "yes", "--appendfsync", "everysec", "--save", ""],
      ],
      { stdio: "ignore" },
    );
    this.child = child;
    await waitUntil(
      async () => {
        if (hasExited(child)) throw new Error(`redis-server on port ${this.port} exited at start`);
        return redisAnswers("127.0.0.1", this.port, 200);
      },
      `redis-server on port ${this.port} answering`,
      10_000,
      20,
    );
  }

  /** A crash: SIGKILL, no shutdown; what the AOF holds is what comes back. */
  async kill(): Promise<void> {
    if (this.child) await stopChild(this.child, "SIGKILL");
  }

  async stop(): Promise<void> {
    if (this.child) await stopChild(this.child, "SIGTERM", 5000);
  }
}
