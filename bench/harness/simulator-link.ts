import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type {
  Outage,
  SimulatedAppCredentials,
  Simulators,
  TokenBehaviour,
  WebPushSubscription,
} from "../../src/simulators/simulators.js";
import { Arrivals } from "../load/arrivals.js";
import { exitWithin, stopChild } from "./child-exit.js";
import type { HostMessage, HostRequest } from "./simulator-protocol.js";

type Pending = (message: Extract<HostMessage, { kind: "reply" }>) => void;

/** The simulators running in a child process (`simulator-host.ts`), and what they accepted. */
export class SimulatorLink {
  readonly arrivals = new Arrivals();
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private constructor(
    private readonly child: ChildProcess,
    readonly env: Simulators["env"],
  ) {
    child.on("message", (message: HostMessage) => this.onMessage(message));
  }

  /** With `profileDir`, the host writes a `--cpu-prof` profile there when it exits. */
  static async start(profileDir?: string): Promise<SimulatorLink> {
    const profiling = profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [];
    const child = fork(fileURLToPath(new URL("./simulator-host.ts", import.meta.url)), [], {
      execArgv: [...profiling, "--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const env = await new Promise<Simulators["env"]>((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`the simulator host exited at start (${code})`)));
      child.once("message", (message: HostMessage) => {
        if (message.kind === "ready") resolve(message.env);
        else reject(new Error(`unexpected first message from the simulator host: ${message.kind}`));
      });
    });
    child.removeAllListeners("exit");
    return new SimulatorLink(child, env);
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** Fresh FCM and APNs credentials of an app, which the simulators accept from now on. */
  async registerApp(): Promise<SimulatedAppCredentials> {
    const reply = await this.ask({ kind: "register-app", id: this.nextId++ });
    if (!reply.credentials) throw new Error("the simulator host sent no credentials");
    return reply.credentials;
  }

  /** `count` browsers subscribed with the app's VAPID public key. */
  async subscribeWebPush(count: number, applicationServerKey: string): Promise<WebPushSubscription[]> {
    if (count === 0) return [];
    const reply = await this.ask({
      kind: "subscribe-webpush",
      id: this.nextId++,
      count,
      applicationServerKey,
    });
    return reply.subscriptions ?? [];
  }

  async script(tokens: string[], behaviour: TokenBehaviour): Promise<void> {
    await this.ask({ kind: "script", id: this.nextId++, tokens, behaviour });
  }

  /** Every simulator answers every token `outage.status` until this is called again with `null`. */
  async outage(outage: Outage | null): Promise<void> {
    await this.ask({ kind: "outage", id: this.nextId++, outage });
  }

  /** Resolves once `arrivals` holds every notification the simulators accepted until now. */
  async flush(): Promise<void> {
    await this.ask({ kind: "flush", id: this.nextId++ });
  }

  /** Forgets what arrived so far (after taking in what is still on its way). */
  async resetArrivals(): Promise<void> {
    await this.flush();
    this.arrivals.clear();
  }

  /** The host closes the simulators and exits once disconnected (writing its profile, if any). */
  async close(): Promise<void> {
    if (this.child.connected) this.child.disconnect();
    if (!(await exitWithin(this.child, 5000))) await stopChild(this.child, "SIGTERM", 5000);
  }

  private ask(request: HostRequest): Promise<Extract<HostMessage, { kind: "reply" }>> {
    return new Promise((resolve) => {
      this.pending.set(request.id, resolve);
      this.child.send(request);
    });
  }

  private onMessage(message: HostMessage): void {
    if (message.kind === "arrivals") {
      this.arrivals.add(
        message.arrivals.map(([simulator, token, eventId, at]) => ({ simulator, token, eventId, at })),
      );
    } else if (message.kind === "reply") {
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    }
  }
}
