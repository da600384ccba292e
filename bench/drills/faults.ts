import { setTimeout as sleep } from "node:timers/promises";
import { now } from "../client/gateway-client.js";
import type { BenchWorld } from "../harness/bench-world.js";
import { counterSum } from "../harness/worker-metrics.js";
import type { FaultName } from "./drill-options.js";
import type { InvariantCheck } from "./run-drill.js";

/** When the fault was in force: from injection until the recovery began (the worker drill: ended). */
export interface FaultWindow {
  from: number;
  to: number;
  /** What shows the fault took effect, e.g. how many sends were answered 503. */
  evidence?: string;
  /** What must hold of this fault besides every drill's invariants, checked while it ran. */
  checks?: InvariantCheck[];
}

export interface Fault {
  name: FaultName;
  title: string;
  /** Injects the fault, holds it, recovers; resolves once recovered. */
  apply(world: BenchWorld, holdMs: number): Promise<FaultWindow>;
  /** Whether the load also goes to the webhook-mode app. */
  withWebhookApp?: boolean;
}

/** (a) kill -9 the worker process, then start a new one: stalled jobs are taken over. */
export const workerKill: Fault = {
  name: "worker-kill",
  title: "kill -9 the worker, start another",
  async apply(world, holdMs) {
    const from = now();
    await world.cluster.killWorker();
    await sleep(holdMs);
    await world.cluster.addWorker();
    return { from, to: now() };
  },
};

/** (b) SIGKILL the private Redis (AOF everysec) and start it again on the same data. */
export const redisRestart: Fault = {
  name: "redis-restart",
  title: "kill the private Redis (AOF on), start it again",
  async apply(world, holdMs) {
    const redis = world.privateRedis;
    if (!redis) throw new Error("the Redis drill needs the bench's private Redis");
    await redis.kill();
    const from = now();
    await sleep(holdMs);
    const to = now();
    await redis.start();
    return { from, to };
  },
};

/** (c) FCM, APNs and the other providers answer 503 to every token for a while. */
export const providerOutage: Fault = {
  name: "provider-503",
  title: "FCM and APNs answer 503",
  async apply(world, holdMs) {
    const retries = () => counterSum(world.cluster.worker, "pushgate_deliveries_total", { outcome: "retry" });
    const retriesBefore = await retries();
    await world.sims.outage({ status: 503 });
    const from = now();
    await sleep(holdMs);
    const to = now();
    await world.sims.outage(null);
    return { from, to, evidence: `${(await retries()) - retriesBefore} sends answered 503, to retry` };
  },
};

/** (d) The webhook-mode app's server stops answering; the direct-mode app must not notice. */
export const webhookHang: Fault = {
  name: "webhook-hang",
  title: "the customer's webhook hangs",
  withWebhookApp: true,
  async apply(world, holdMs) {
    const heldBefore = world.webhook.heldTotal;
    world.webhook.hang(true);
    const from = now();
    await sleep(holdMs);
    const to = now();
    world.webhook.hang(false);
    return { from, to, evidence: `${world.webhook.heldTotal - heldBefore} webhook calls left unanswered` };
  },
};
