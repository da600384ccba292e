import { setTimeout as sleep } from "node:timers/promises";
import { now } from "../../client/gateway-client.js";
import type { BenchWorld } from "../../harness/bench-world.js";
import { processMemory } from "../../harness/process-memory.js";
import { runClosedLoop } from "../../load/closed-loop.js";
import { mib } from "../../report/table.js";
import { type AbuseReport, AnswerCounts } from "./abuse-report.js";

export interface UnsignedFloodOptions {
  posts: number;
  /** Posts in flight at once. */
  concurrency: number;
  /** `HTTP_BODY_LIMIT_BYTES` of the gateway under test: the bodies are just under it. */
  bodyLimitBytes: number;
  timeoutMs: number;
}

/** How long after the flood the api's memory is read again. */
const settleMs = 5000;

/** A JSON body of `bytes` bytes that looks like an event. */
function largeBody(bytes: number): string {
  const shell = JSON.stringify({ id: "evt_flood", type: "message.created", padding: "" });
  return JSON.stringify({
    id: "evt_flood",
    type: "message.created",
    padding: "x".repeat(bytes - shell.length),
  });
}

/**
 * Issue 15 item 9: posts without a signature to a real app, and posts to apps that do not exist,
 * each with a body just under the limit. The api process's resident memory is read before, every
 * 100 ms during, and a few seconds after the flood: it must stay within what the posts in flight
 * can hold, and come back down.
 */
export async function unsignedFlood(world: BenchWorld, options: UnsignedFloodOptions): Promise<AbuseReport> {
  const app = await world.createApp();
  const api = world.cluster.api;
  const rss = () => processMemory(api.pid)?.rssBytes ?? 0;
  const body = largeBody(options.bodyLimitBytes - 1024);
  const before = rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rss());
  }, 100);

  const toApp = new AnswerCounts();
  const toMissingApp = new AnswerCounts();
  const started = now();
  const result = await runClosedLoop({
    total: options.posts,
    concurrency: options.concurrency,
    timeoutMs: options.timeoutMs,
    task: async (index) => {
      const missing = index % 2 === 1;
      const path = missing ? `/v1/apps/app_missing_${index}/events` : `/v1/apps/${app.id}/events`;
      // Half of the posts to the app carry Standard Webhooks headers, signed by nobody.
      const forged: Record<string, string> =
        index % 4 === 2
          ? {
              "webhook-id": `msg_${index}`,
              "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
              "webhook-signature": "v1,Zm9yZ2Vk",
            }
          : {};
      const answer = await world.client.request("POST", path, { body, headers: forged }).catch(() => null);
      (missing ? toMissingApp : toApp).add(answer?.status ?? "no answer");
    },
  });
  const floodSeconds = (now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, rss());
  await sleep(settleMs);
  const after = rss();

  // Each post in flight may hold its body twice while it is read (the chunks, then one buffer).
  const inFlightBytes = 2 * options.concurrency * options.bodyLimitBytes;
  const allowedGrowth = inFlightBytes + 64 * 1024 * 1024;
  const refusedAsClientErrors = toApp.of(401) + toMissingApp.of(404);
  return {
    name: "unsigned-flood",
    title: `unsigned posts and posts to missing apps, ${mib(body.length)} bodies, ${options.concurrency} at a time`,
    figures: [
      `${result.completed.toLocaleString("en-US")} posts in ${floodSeconds.toFixed(1)} s ` +
        `(${(options.posts / floodSeconds).toFixed(0)}/s, ${((options.posts * body.length) / floodSeconds / 1024 / 1024).toFixed(0)} MiB/s)` +
        `; to the app: ${toApp}; to missing apps: ${toMissingApp}`,
      `api RSS: before ${mib(before)}, during at most ${mib(peak)} (+${mib(peak - before)}), ` +
        `${settleMs / 1000} s after ${mib(after)} (${after >= before ? "+" : "-"}${mib(Math.abs(after - before))})`,
    ],
    invariants: [
      {
        name: "every post is refused as the client's error",
        counts: `${refusedAsClientErrors} of ${options.posts} answered 401 (app) or 404 (missing app)`,
        pass: refusedAsClientErrors === options.posts,
      },
      {
        name: "api memory stays bounded during the flood",
        counts: `+${mib(peak - before)}`,
        pass: peak - before <= allowedGrowth,
        note: `at most +${mib(allowedGrowth)}: twice the bodies in flight, and 64 MiB`,
      },
      {
        name: "api memory comes back after the flood",
        counts: `${after >= before ? "+" : "-"}${mib(Math.abs(after - before))} ${settleMs / 1000} s after`,
        pass: after - before <= 64 * 1024 * 1024,
        note: "at most +64 MiB",
      },
    ],
  };
}
