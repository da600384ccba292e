import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { redisAnswers } from "../../src/queue/embedded-redis.js";

/** A redis-server of the test's own, to stop and start at will. */
export class DisposableRedis {
  private child?: ChildProcess;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<DisposableRedis> {
    const server = net.createServer().listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const redis = new DisposableRedis(port);
    await redis.restart();
    return redis;
  }

  async restart(): Promise<void> {
    this.child = spawn("redis-server", ["--port", String(this.port), "--save", "", "--appendonly", "no"], {
      stdio: "ignore",
    });
    while (!(await redisAnswers("127.0.0.1", this.port))) await sleep(20);
  }

  /** Stalls the server (SIGSTOP): connections stay open, commands go unanswered. */
  pause(): void {
    this.child?.kill("SIGSTOP");
  }

  /** Lets a paused server answer again (SIGCONT). */
  resume(): void {
    this.child?.kill("SIGCONT");
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise((resolve) => {
      child.once("exit", resolve);
      child.kill("SIGKILL");
    });
  }
}
