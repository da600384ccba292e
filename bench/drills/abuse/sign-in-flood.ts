import { SignJWT } from "jose";
import { now } from "../../client/gateway-client.js";
import type { BenchApp } from "../../client/population.js";
import type { BenchWorld } from "../../harness/bench-world.js";
import { summarize } from "../../load/latency.js";
import { ms } from "../../report/table.js";
import { type AbuseReport, AnswerCounts } from "./abuse-report.js";

export interface SignInFloodOptions {
  realUsers: number;
  /** Garbage sign-ins at least; the flood goes on until every real user has tried. */
  floodAttempts: number;
  /** `RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE` of the gateway under test. */
  perAddressPerMinute: number;
  timeoutMs: number;
}

/** The attacker: one address, as the load balancer reports it in X-Forwarded-For. */
const floodAddress = "203.0.113.66";
const floodConcurrency = 32;
const realUserConcurrency = 8;

/** Each real user from an address of its own, in the benchmarking range 198.18.0.0/15. */
function realUserAddress(index: number): string {
  return `198.18.${(index >> 8) & 255}.${index & 255}`;
}

/** A sign-in token as the customer's server issues it: HS256 with the server key, 10 minutes. */
function authToken(app: BenchApp, userId: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(new TextEncoder().encode(app.serverKey));
}

/**
 * Issue 15 item 1: with the app's public API key, one client floods sign-in with garbage from one
 * address, naming the real users, while the real users sign in from theirs. Every real user must
 * get in; the flood is refused with 429 once its address's budget is spent.
 */
export async function signInFlood(world: BenchWorld, options: SignInFloodOptions): Promise<AbuseReport> {
  const app = await world.createApp({ require_auth_token: true });
  const userIds = Array.from({ length: options.realUsers }, (_, index) => `drill-real-user-${index}`);
  const signIn = (address: string, body: Record<string, string>) =>
    world.client.request("POST", "/v1/sessions", {
      headers: { "x-api-key": app.apiKey, "x-forwarded-for": address },
      body,
    });
  const deadline = now() + options.timeoutMs;

  const flood = new AnswerCounts();
  let firstRefusal: () => void = () => {};
  const floodRefused = new Promise<void>((resolve) => {
    firstRefusal = resolve;
  });
  let realUsersDone = false;
  const floodStarted = now();
  const floodWorkers = Array.from({ length: floodConcurrency }, async () => {
    while ((!realUsersDone || flood.total < options.floodAttempts) && now() < deadline) {
      const victim = userIds[flood.total % userIds.length] as string;
      const answer = await signIn(floodAddress, { user_id: victim, auth_token: "garbage.auth.token" }).catch(
        () => null,
      );
      flood.add(answer?.status ?? "no answer");
      if (answer?.status === 429) firstRefusal();
    }
  });
  // The real users come once the flood is being refused: a limit per app would now lock them out.
  await Promise.race([floodRefused, Promise.all(floodWorkers)]);

  const real = new AnswerCounts();
  const latencies: number[] = [];
  let nextUser = 0;
  const realWorkers = Array.from({ length: realUserConcurrency }, async () => {
    while (nextUser < userIds.length && now() < deadline) {
      const index = nextUser++;
      const userId = userIds[index] as string;
      const answer = await signIn(realUserAddress(index), {
        user_id: userId,
        auth_token: await authToken(app, userId),
      }).catch(() => null);
      real.add(answer?.status ?? "no answer");
      if (answer) latencies.push(answer.answeredAt - answer.sentAt);
    }
  });
  await Promise.all(realWorkers);
  realUsersDone = true;
  await Promise.all(floodWorkers);
  const floodSeconds = (now() - floodStarted) / 1000;

  const signedIn = real.of(201);
  const refusedShare = flood.total > 0 ? flood.of(429) / flood.total : 0;
  // The address's budget refills each minute: what got past the limit may be that much per minute.
  const budget = options.perAddressPerMinute * Math.ceil(floodSeconds / 60);
  const latency = summarize(latencies);
  return {
    name: "sign-in-flood",
    title: `garbage sign-ins from one address (${floodAddress}) while real users sign in from theirs`,
    figures: [
      `real users: ${signedIn} of ${userIds.length} signed in, each from its own address, during the flood ` +
        `(p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)}); answers: ${real}`,
      `flood: ${flood.total.toLocaleString("en-US")} garbage sign-ins in ${floodSeconds.toFixed(1)} s, ` +
        `${(refusedShare * 100).toFixed(1)}% answered 429; answers: ${flood}`,
    ],
    invariants: [
      {
        name: "every real user gets in",
        counts: `${signedIn} of ${userIds.length}`,
        pass: signedIn === userIds.length,
      },
      {
        name: "the flood spends only its own address's budget",
        counts: `${flood.total - flood.of(429)} attempts not refused, ${flood.of(429)} × 429`,
        pass: flood.total - flood.of(429) <= budget && flood.of(429) > 0,
        note: `at most ${budget}: ${options.perAddressPerMinute} a minute`,
      },
    ],
  };
}
