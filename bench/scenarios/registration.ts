import { type BenchApp, type Member, newMembers } from "../client/population.js";
import type { BenchWorld } from "../harness/bench-world.js";
import type { Track } from "../harness/cost-meter.js";
import { runClosedLoop } from "../load/closed-loop.js";
import { type LatencySummary, summarize } from "../load/latency.js";

export interface RegistrationOptions {
  devices: number;
  /** Clients registering at once, each its next device when the last one is answered. */
  concurrency: number;
  /** Wraps the registrations alone (not the sign-ins): what the cost meter counts. */
  track?: Track;
}

export interface RegistrationResult {
  devices: number;
  concurrency: number;
  /** `POST /v1/users/@me/devices` answered 204 per second: the figure. */
  perSecond: number;
  /** Per registration. */
  latency: LatencySummary;
  /** The sign-ins before it (`POST /v1/sessions`, the same clients), not part of the figure. */
  signInsPerSecond: number;
}

/**
 * Device registration through the client API: every user signs in first (one session each),
 * then `concurrency` clients register one device per session, each with its own device id and
 * token, half FCM half APNs, as fast as they are answered. Only the registrations are timed.
 */
export async function measureRegistration(
  world: BenchWorld,
  app: BenchApp,
  options: RegistrationOptions,
): Promise<RegistrationResult> {
  const members = newMembers(options.devices, "register");
  const sessionTokens: string[] = new Array(members.length);
  const signIns = await runClosedLoop({
    total: members.length,
    concurrency: options.concurrency,
    timeoutMs: 300_000,
    task: async (index) => {
      const member = members[index] as Member;
      const answer = await world.client.expect(201, "POST", "/v1/sessions", {
        headers: { "x-api-key": app.apiKey },
        body: { user_id: member.userId },
      });
      sessionTokens[index] = (answer.body as { session_token: string }).session_token;
    },
  });
  if (signIns.failed > 0 || signIns.timedOut) {
    throw new Error(`signing in: ${signIns.failed} failed (${signIns.firstError ?? "timed out"})`);
  }

  const latencies: number[] = [];
  const track = options.track ?? ((run) => run());
  const registrations = await track(() =>
    runClosedLoop({
      total: members.length,
      concurrency: options.concurrency,
      timeoutMs: 300_000,
      task: async (index) => {
        const member = members[index] as Member;
        const answer = await world.client.expect(204, "POST", "/v1/users/@me/devices", {
          token: sessionTokens[index] as string,
          body: { provider: member.provider, token: member.token, device_id: `device-${member.userId}` },
        });
        latencies.push(answer.answeredAt - answer.sentAt);
      },
    }),
  );
  if (registrations.failed > 0 || registrations.timedOut) {
    throw new Error(
      `registering devices: ${registrations.failed} failed (${registrations.firstError ?? "timed out"})`,
    );
  }
  return {
    devices: members.length,
    concurrency: options.concurrency,
    perSecond: (members.length / registrations.elapsedMs) * 1000,
    latency: summarize(latencies),
    signInsPerSecond: (members.length / signIns.elapsedMs) * 1000,
  };
}
