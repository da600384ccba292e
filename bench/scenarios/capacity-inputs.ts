import { newMembers, registerMembers } from "../client/population.js";
import type { BenchWorld } from "../harness/bench-world.js";
import { CostMeter, type EventCosts } from "../harness/cost-meter.js";
import type { GatewayBuild } from "../harness/gateway-process.js";
import { measureDrain } from "./drain.js";
import { measureEndToEnd } from "./end-to-end.js";
import { measureRegistration } from "./registration.js";

/** A rate one process reached, and the figure it comes from. */
export interface ProcessRate {
  perSecond: number;
  from: string;
}

/** The capacity model's inputs for one kind of event, with one api and one worker process. */
export interface KindInputs {
  kind: string;
  /** Null where the kind costs the api nothing per unit (a fan-out's recipients). */
  perApiProcess: ProcessRate | null;
  /** Null where no worker takes part (registration). */
  perWorkerProcess: ProcessRate | null;
  costs: EventCosts;
}

export interface CapacityInputs {
  database: "sqlite" | "postgres";
  build: GatewayBuild;
  kinds: KindInputs[];
}

export interface WebhookInputOptions {
  events: number;
  recipients: number;
  concurrency: number;
}

/**
 * Webhook relay 1:1: a webhook-mode app whose customer answers `send`; the end-to-end run is
 * metered, then a backlog of as many events is worked off by the worker alone.
 */
export async function webhookRelayInputs(
  world: BenchWorld,
  options: WebhookInputOptions,
): Promise<Omit<KindInputs, "perApiProcess">> {
  const recipients = newMembers(options.recipients, "capacity-webhook-member");
  const app = await world.createApp({
    mode: "webhook",
    webhook: { url: world.webhook.url, timeout_ms: 5000 },
  });
  await registerMembers(world.client, app, recipients, options.concurrency);
  const messages = {
    events: options.events,
    concurrency: options.concurrency,
    recipients,
    timeoutMs: 120_000,
  };
  const meter = CostMeter.open(world);
  try {
    const endToEnd = await meter.track(() => measureEndToEnd(world, app, messages));
    const drain = await measureDrain(world, app, messages);
    return {
      kind: "webhook relay 1:1",
      perWorkerProcess: { perSecond: drain.perSecond, from: "a backlog worked off, the api idle" },
      costs: meter.perEvent(endToEnd.accepted),
    };
  } finally {
    meter.close();
  }
}

/** Device registration: the api alone; the registrations are metered, the sign-ins before them are not. */
export async function registrationInputs(
  world: BenchWorld,
  options: { devices: number; concurrency: number },
): Promise<KindInputs> {
  const meter = CostMeter.open(world);
  try {
    const registration = await measureRegistration(world, await world.createApp(), {
      ...options,
      track: meter.track,
    });
    return {
      kind: "device registration",
      perApiProcess: { perSecond: registration.perSecond, from: "registrations answered 204" },
      perWorkerProcess: null,
      costs: meter.perEvent(registration.devices),
    };
  } finally {
    meter.close();
  }
}
