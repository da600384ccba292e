import { setTimeout as sleep } from "node:timers/promises";
import { now } from "../client/gateway-client.js";
import type { BenchApp } from "../client/population.js";
import type { BenchWorld } from "../harness/bench-world.js";
import type { Fault } from "./faults.js";
import type { InvariantCheck } from "./run-drill.js";

/** The app's `webhook` block as `GET /v1/apps/:id` shows it: the fields this drill reads or sets. */
interface WebhookBlock {
  fallback: string;
  disable_after_failures: number;
  disable_after_minutes: number;
  enabled: boolean;
  disabled_at: string | null;
  disabled_reason: string | null;
}

export interface WebhookDownOptions {
  /** `WEBHOOK_PROBE_INTERVAL_SECONDS`, in ms. */
  probeIntervalMs: number;
  /**
   * `WEBHOOK_WORKER_CONCURRENCY`: the jobs a worker may have begun, the app read with its webhook
   * on, when the webhook is turned off; each may still make its call.
   */
  callsInFlight: number;
  /** The webhook app's share of the load: how much the webhook queue may hold at a sampling instant. */
  webhookEventsPerSecond: number;
}

/** A breaker that opens within a second of the load: 20 failed calls, whatever their span. */
const drillBreaker = { disable_after_failures: 20, disable_after_minutes: 0, fallback: "send" };
const probesToComeBack = 3;

/**
 * (e) The webhook-mode app's server answers 503 for the rest of the fault: its breaker must turn
 * the webhook off (events then sent as proposed, without a call, but for a probe an interval),
 * the webhook queue must not grow, and the first probe after the server is back turns it on.
 */
export function webhookDown(app: BenchApp, options: WebhookDownOptions): Fault {
  return {
    name: "webhook-down",
    title: "the customer's webhook answers 503 for good",
    withWebhookApp: true,
    async apply(world, holdMs) {
      const settings = await webhookOf(world, app);
      await patchWebhook(world, app, drillBreaker);
      const backlogAtStart = await world.queues.webhookBacklog();
      world.webhook.failWith(503);
      // Epoch ms, as the customer's arrivals and the gateway's disabled_at are.
      const downFrom = Date.now();
      const from = now();
      const deadline = Date.now() + holdMs;
      let backlogPeak = backlogAtStart;
      while (Date.now() < deadline) {
        await sleep(Math.min(250, Math.max(0, deadline - Date.now())));
        backlogPeak = Math.max(backlogPeak, await world.queues.webhookBacklog());
      }
      const backlogAtEnd = await world.queues.webhookBacklog();
      const off = await webhookOf(world, app);
      const downUntil = Date.now();
      const to = now();
      world.webhook.failWith(undefined);
      const backOn = await waitForEnabled(world, app, probesToComeBack * options.probeIntervalMs);
      await patchWebhook(world, app, {
        fallback: settings.fallback,
        disable_after_failures: settings.disable_after_failures,
        disable_after_minutes: settings.disable_after_minutes,
        enabled: true,
      });
      const backlog = { atStart: backlogAtStart, peak: backlogPeak, atEnd: backlogAtEnd };
      return {
        from,
        to,
        evidence: `${world.webhook.deliveriesBetween(downFrom, downUntil)} webhook calls answered 503`,
        checks: [
          turnedOff(world, off, downUntil, options),
          noBacklogGrowth(backlog, options.webhookEventsPerSecond),
          turnedBackOn(backOn, options.probeIntervalMs),
        ],
      };
    },
  };
}

async function webhookOf(world: BenchWorld, app: BenchApp): Promise<WebhookBlock> {
  const answer = await world.client.expect(200, "GET", `/v1/apps/${app.id}`, { token: world.adminToken });
  return (answer.body as { webhook: WebhookBlock }).webhook;
}

async function patchWebhook(world: BenchWorld, app: BenchApp, webhook: Record<string, unknown>) {
  await world.client.expect(200, "PATCH", `/v1/apps/${app.id}`, {
    token: world.adminToken,
    body: { webhook },
  });
}

/** Ms from now until an answer shows the app's webhook `enabled: true`; undefined when none asked within `withinMs` does. */
async function waitForEnabled(world: BenchWorld, app: BenchApp, withinMs: number) {
  const start = Date.now();
  while (Date.now() - start <= withinMs) {
    if ((await webhookOf(world, app)).enabled) return Date.now() - start;
    await sleep(100);
  }
  return undefined;
}

function turnedOff(
  world: BenchWorld,
  off: WebhookBlock,
  downUntil: number,
  options: WebhookDownOptions,
): InvariantCheck {
  const name = "the webhook is turned off, then called once a probe interval";
  if (off.enabled || !off.disabled_at) {
    return { name, counts: "the webhook is still on at the end of the fault", pass: false };
  }
  const disabledAt = Date.parse(off.disabled_at);
  const offMs = downUntil - disabledAt;
  // The first probe comes an interval after the webhook is turned off.
  const probes = Math.floor(offMs / options.probeIntervalMs);
  const calls = world.webhook.deliveriesBetween(disabledAt, downUntil);
  const afterFirstSecond = world.webhook.deliveriesBetween(disabledAt + 1000, downUntil);
  return {
    name,
    counts:
      `off ${(offMs / 1000).toFixed(1)} s before the fault's end (${off.disabled_reason}); ` +
      `${calls} calls since, ${afterFirstSecond} of them after its first second, ` +
      `for ${probes} probe intervals of ${options.probeIntervalMs / 1000} s`,
    pass: calls <= probes + options.callsInFlight,
    note: `at most one a probe interval, and the ${options.callsInFlight} jobs a worker may have begun before`,
  };
}

function noBacklogGrowth(
  backlog: { atStart: number; peak: number; atEnd: number },
  eventsPerSecond: number,
): InvariantCheck {
  return {
    name: "the webhook queue does not grow",
    counts: `waiting + delayed ${backlog.atStart} at the start of the fault, ${backlog.atEnd} at its end, ${backlog.peak} at most`,
    pass: backlog.atEnd <= backlog.atStart + eventsPerSecond,
    note: `at its end at most one second of the app's load (${eventsPerSecond}) over its start`,
  };
}

function turnedBackOn(afterMs: number | undefined, probeIntervalMs: number): InvariantCheck {
  const withinMs = probesToComeBack * probeIntervalMs;
  return {
    name: "the first probe after the server is back turns the webhook on",
    counts:
      afterMs === undefined
        ? `still off ${withinMs / 1000} s after the server answered again`
        : `on again ${(afterMs / 1000).toFixed(1)} s after the server answered again`,
    pass: afterMs !== undefined && afterMs <= withinMs,
    note: `within ${probesToComeBack} probe intervals`,
  };
}
