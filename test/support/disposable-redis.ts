import type { ChildProcess } from "node:child_process";
import { spawnRedisServer, startOnFreePort } from "../../src/queue/embedded-redis.js";

const settings = ["--save", "", "--appendonly", "no"];

/** A redis-server of the test's own, to stop and start at will. */
export class DisposableRedis {
  private constructor(
    readonly port: number,
    private child: ChildProcess,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static start(): Promise<DisposableRedis> {
    return startOnFreePort(async (port) => new DisposableRedis(port, await spawnRedisServer(port, settings)));
  }

  /** On the same port, as the gateway under test knows it; fails if another process took the port meanwhile. */
  async restart(): Promise<void> {
    this.child = await spawnRedisServer(this.port, settings);
  }

  /** Stalls the server (SIGSTOP): connections stay open, commands go unanswered. */
  pause(): void {
    this.child.kill("SIGSTOP");
  }

  /** Lets a paused server answer again (SIGCONT). */
  resume(): void {
    this.child.kill("SIGCONT");
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise((resolve) => {
      child.once("exit", resolve);
      child.kill("SIGKILL");
    });
  }
}
