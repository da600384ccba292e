/**
 * The ingest floor: a bare `node:http` server doing the least a gateway must do per live event —
 * read the body, verify its Standard Webhooks signature as Pushgate does (the same function),
 * parse it and add one BullMQ job shaped like the gateway's on the same Redis — and answer 202.
 * Run as its own process (`node --import tsx`), as the gateway's api is; prints its port on stdout.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { verifyWebhook } from "../../src/security/standard-webhooks.js";

const { FLOOR_REDIS_URL, FLOOR_PREFIX, FLOOR_EVENT_SECRET, FLOOR_TOLERANCE_SECONDS } = process.env;
if (!FLOOR_REDIS_URL || !FLOOR_PREFIX || !FLOOR_EVENT_SECRET) {
  throw new Error("FLOOR_REDIS_URL, FLOOR_PREFIX and FLOOR_EVENT_SECRET are required");
}
const secrets = [FLOOR_EVENT_SECRET];
const toleranceSeconds = Number(FLOOR_TOLERANCE_SECONDS ?? 300);
const connection = new Redis(FLOOR_REDIS_URL, { maxRetriesPerRequest: 1 });
const queue = new Queue("events", { connection, prefix: FLOOR_PREFIX });
// The gateway's event job options, so that Redis does the same work per job.
const jobOptions = {
  attempts: 8,
  backoff: { type: "exponential", delay: 1000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function answer(response: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

async function accept(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const body = await readBody(request);
  try {
    verifyWebhook(
      {
        "webhook-id": request.headers["webhook-id"] as string | undefined,
        "webhook-timestamp": request.headers["webhook-timestamp"] as string | undefined,
        "webhook-signature": request.headers["webhook-signature"] as string | undefined,
      },
      body,
      secrets,
      { toleranceSeconds },
    );
  } catch (error) {
    answer(response, 401, { error: (error as Error).message });
    return;
  }
  const event = JSON.parse(body.toString("utf8")) as { id: string };
  await queue.add("event", { eventId: event.id, run: 0 }, { jobId: event.id, ...jobOptions });
  answer(response, 202, { id: event.id, status: "queued" });
}

const server = createServer((request, response) => {
  accept(request, response).catch((error: unknown) => answer(response, 500, { error: String(error) }));
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address && typeof address === "object")
    process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
});
// Its jobs are never worked off: they go with it, so that a shared Redis (REDIS_URL) keeps none.
process.once("SIGTERM", () => {
  server.close();
  void queue
    .obliterate({ force: true })
    .then(() => queue.close())
    .then(() => connection.quit())
    .then(() => process.exit(0));
});
