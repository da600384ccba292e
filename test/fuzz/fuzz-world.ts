import { setImmediate } from "node:timers/promises";
import { expect } from "chai";
import type fc from "fast-check";
import { pino } from "pino";
import type { Settings } from "../../src/config/settings.js";
import type { TestApp } from "../devices/client.js";
import { createApp, startTestGateway, type TestGateway } from "../support/test-gateway.js";
import { type Bystander, seedBystander, snapshotOf } from "./bystander.js";
import { type RawAnswer, type RawRequest, sendRaw } from "./raw-http.js";

/** A gateway, the app the fuzzer attacks, a bystander app it must not touch, and the gateway's error log. */
export interface FuzzWorld {
  gw: TestGateway;
  target: TestApp;
  bystander: Bystander;
  /** Lines the gateway logged at level error: each is a failure it did not expect. */
  errors: string[];
  bystanderBefore: Awaited<ReturnType<typeof snapshotOf>>;
}

/**
 * Starts the world before the suite and, after it, checks that the gateway still answers and
 * that the bystander's data is as it was; then closes the gateway.
 */
export function useFuzzWorld(
  overrides: Partial<Record<keyof Settings, unknown>>,
  take: (world: FuzzWorld) => void,
): void {
  let world: FuzzWorld | undefined;
  before(async function () {
    this.timeout(60_000);
    const errors: string[] = [];
    const logger = pino({ level: "error" }, { write: (line: string) => void errors.push(line) });
    const gw = await startTestGateway(overrides, logger);
    const target = await createApp(gw, { name: "Fuzzed" });
    const bystander = await seedBystander(gw);
    world = { gw, target, bystander, errors, bystanderBefore: await snapshotOf(gw, bystander) };
    take(world);
  });
  after(async function () {
    this.timeout(60_000);
    if (!world) return;
    const { gw, bystander, bystanderBefore } = world;
    try {
      expect((await gw.request("GET", "/healthz")).status, "GET /healthz after the fuzzing").to.equal(200);
      expect(await snapshotOf(gw, bystander), "the bystander app's data").to.deep.equal(bystanderBefore);
      expect(world.errors, "errors the gateway logged during the suite").to.deep.equal([]);
    } finally {
      await gw.close();
    }
  });
}

/** `FUZZ_RUNS` runs more (or fewer); `FUZZ_SEED` and `FUZZ_PATH` replay a failure fast-check reported. */
export function fuzzParameters(defaultRuns: number): fc.Parameters<[RawRequest]> {
  return {
    numRuns: Number(process.env.FUZZ_RUNS ?? defaultRuns),
    ...(process.env.FUZZ_SEED === undefined ? {} : { seed: Number(process.env.FUZZ_SEED) }),
    ...(process.env.FUZZ_PATH === undefined ? {} : { path: process.env.FUZZ_PATH }),
  };
}

function excerpt(text: string, length = 160): string {
  return text.length > length ? `${text.slice(0, length)}… (${text.length} characters)` : text;
}

/** The request and answer in a few lines, for an assertion message. */
export function describeExchange(request: RawRequest, answer: RawAnswer, errors: string[]): string {
  return [
    `${JSON.stringify(excerpt(request.method, 40))} ${JSON.stringify(excerpt(request.target))}`,
    ...request.headers.map(
      ([name, value]) => `  ${JSON.stringify(excerpt(name, 40))}: ${JSON.stringify(excerpt(value))}`,
    ),
    `  body: ${request.body.length} bytes ${JSON.stringify(excerpt(request.body.toString("latin1"), 120))}`,
    `answer: ${JSON.stringify(excerpt(answer.head, 300))}`,
    ...errors.map((line) => `logged: ${excerpt(line, 600)}`),
  ].join("\n");
}

/**
 * Sends `request` and expects a client's error at worst, with nothing logged as the gateway's
 * own failure while it was handled. Only that exchange's log lines count, so that fast-check's
 * shrinking is not led astray by an earlier failure; the suite's `after` checks the whole log.
 */
export async function expectClientOutcome(world: FuzzWorld, request: RawRequest): Promise<RawAnswer> {
  const loggedBefore = world.errors.length;
  const answer = await sendRaw(world.gw.url, request);
  await setImmediate();
  const errors = world.errors.slice(loggedBefore);
  const described = describeExchange(request, answer, errors);
  expect(answer.status, described).to.be.within(200, 499);
  expect(errors, described).to.deep.equal([]);
  return answer;
}
