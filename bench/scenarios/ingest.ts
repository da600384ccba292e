import type { GatewayAnswer, GatewayClient } from "../client/gateway-client.js";
import { directMessage, type EventSource, postBatch, postEvent } from "../client/live-events.js";
import type { BenchApp } from "../client/population.js";
import type { BenchWorld } from "../harness/bench-world.js";
import { type CpuByProcess, cpuByProcessPerUnit } from "../harness/process-cpu.js";
import { runClosedLoop } from "../load/closed-loop.js";
import { type LatencySummary, summarize } from "../load/latency.js";

export interface IngestRate {
  events: number;
  accepted: number;
  perSecond: number;
  /** Per request: one event, or one batch. */
  latency: LatencySummary;
  /** CPU time the server process used per accepted event (user + system), where it could be read. */
  /** CPU per accepted event of the server, Redis and the bench's own process. */
  cpu: CpuByProcess;
}

export interface IngestResult {
  concurrency: number;
  single: IngestRate;
  batch: IngestRate & { batchSize: number };
}

export interface IngestOptions {
  singleEvents: number;
  batches: number;
  batchSize: number;
  concurrency: number;
}

/**
 * The HTTP edge alone: signed events answered 202 per second. The workers are paused meanwhile
 * (SIGSTOP) so the api has the machine's two cores as far as the load generator leaves them;
 * the app has push turned off, so the backlog it leaves costs the worker little afterwards.
 */
export async function measureIngest(
  world: BenchWorld,
  app: BenchApp,
  options: IngestOptions,
): Promise<IngestResult> {
  return whileWorkersPaused(world, async () => {
    const single = await sendSingleEvents(
      world.client,
      { api: world.cluster.api.pid, ...world.redisProcess() },
      app,
      options.singleEvents,
      options.concurrency,
    );
    const batchEvents = () =>
      Array.from({ length: options.batchSize }, () => directMessage("ingest-sender", "ingest-recipient"));
    const batch = await ingestLoop(
      { api: world.cluster.api.pid, ...world.redisProcess() },
      options.batches,
      Math.min(options.concurrency, 8),
      options.batchSize,
      async () => {
        const answer = await postBatch(world.client, app, batchEvents());
        const results = (answer.body as { results?: { status: string }[] }).results ?? [];
        return { answer, accepted: results.filter((result) => result.status === "queued").length };
      },
    );
    return {
      concurrency: options.concurrency,
      single,
      batch: { ...batch, batchSize: options.batchSize },
    };
  });
}

/** Single events alone, the same way (the store comparison's figure). */
export function measureSingleIngest(
  world: BenchWorld,
  app: BenchApp,
  options: { events: number; concurrency: number },
): Promise<IngestRate> {
  return whileWorkersPaused(world, () =>
    sendSingleEvents(
      world.client,
      { api: world.cluster.api.pid, ...world.redisProcess() },
      app,
      options.events,
      options.concurrency,
    ),
  );
}

export async function whileWorkersPaused<T>(world: BenchWorld, measure: () => Promise<T>): Promise<T> {
  world.cluster.pauseWorkers();
  try {
    return await measure();
  } finally {
    world.cluster.resumeWorkers();
    await world.queues.waitForIdle(120_000);
  }
}

/** `events` signed 1:1 events, one per request, from `concurrency` clients of `client`'s server; `processes` (by name) are those whose CPU counts. */
export function sendSingleEvents(
  client: GatewayClient,
  processes: Record<string, number>,
  source: EventSource,
  events: number,
  concurrency: number,
) {
  return ingestLoop(processes, events, concurrency, 1, async () => {
    const answer = await postEvent(client, source, directMessage("ingest-sender", "ingest-recipient"));
    return { answer, accepted: answer.status === 202 ? 1 : 0 };
  });
}

async function ingestLoop(
  processes: Record<string, number>,
  requests: number,
  concurrency: number,
  eventsPerRequest: number,
  send: () => Promise<{ answer: GatewayAnswer; accepted: number }>,
): Promise<IngestRate> {
  const latencies: number[] = [];
  let accepted = 0;
  const { result: loop, cpu } = await cpuByProcessPerUnit(
    processes,
    () =>
      runClosedLoop({
        total: requests,
        concurrency,
        timeoutMs: 120_000,
        task: async () => {
          const { answer, accepted: queued } = await send();
          if (answer.status !== 202)
            throw new Error(`answered ${answer.status}: ${JSON.stringify(answer.body)}`);
          latencies.push(answer.answeredAt - answer.sentAt);
          accepted += queued;
        },
      }),
    () => accepted,
  );
  const events = requests * eventsPerRequest;
  if (loop.failed > 0) throw new Error(`ingest: ${loop.failed} requests refused, first: ${loop.firstError}`);
  return {
    events,
    accepted,
    perSecond: (accepted / loop.elapsedMs) * 1000,
    latency: summarize(latencies),
    cpu,
  };
}
