import { GatewayClient } from "../client/gateway-client.js";
import type { BenchApp } from "../client/population.js";
import type { BenchWorld } from "../harness/bench-world.js";
import { IngestFloor } from "../harness/ingest-floor.js";
import { type IngestRate, sendSingleEvents, whileWorkersPaused } from "./ingest.js";

export interface IngestFloorOptions {
  events: number;
  concurrency: number;
  toleranceSeconds: number;
}

/**
 * The floor the api's ingest is measured against: a bare `node:http` server that verifies each
 * event's signature and adds one BullMQ job on the gateway's Redis, loaded exactly as the
 * single-event ingest figure loads the api (same client, concurrency and events), with the
 * gateway's workers paused as they are there.
 */
export async function measureIngestFloor(
  world: BenchWorld,
  app: BenchApp,
  options: IngestFloorOptions,
): Promise<IngestRate> {
  const floor = await IngestFloor.start({
    redisUrl: world.redisUrl,
    prefix: `${world.prefix}-floor`,
    eventSecret: app.eventSecret,
    toleranceSeconds: options.toleranceSeconds,
    logDir: world.cluster.logDir,
  });
  const client = new GatewayClient(floor.url);
  try {
    return await whileWorkersPaused(world, () =>
      sendSingleEvents(
        client,
        { server: floor.pid, ...world.redisProcess() },
        app,
        options.events,
        options.concurrency,
      ),
    );
  } finally {
    client.close();
    await floor.stop();
  }
}
