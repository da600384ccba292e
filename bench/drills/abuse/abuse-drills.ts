import type { Settings } from "../../../src/config/settings.js";
import type { BenchWorld } from "../../harness/bench-world.js";
import type { AbuseName } from "../drill-options.js";
import type { AbuseReport } from "./abuse-report.js";
import { signInFlood } from "./sign-in-flood.js";
import { unsignedFlood } from "./unsigned-flood.js";

export interface AbuseDrill {
  name: AbuseName;
  title: string;
  /** `settings`: those the gateway under test runs with, for its limits. */
  run(world: BenchWorld, settings: Settings, quick: boolean): Promise<AbuseReport>;
}

export const abuseDrills: AbuseDrill[] = [
  {
    name: "sign-in-flood",
    title: "garbage sign-ins from one address beside real users",
    run: (world, settings, quick) =>
      signInFlood(world, {
        realUsers: quick ? 60 : 200,
        floodAttempts: quick ? 1000 : 3000,
        perAddressPerMinute: settings.RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE,
        timeoutMs: 60_000,
      }),
  },
  {
    name: "unsigned-flood",
    title: "unsigned posts and posts to missing apps, with large bodies",
    run: (world, settings, quick) =>
      unsignedFlood(world, {
        posts: quick ? 300 : 1200,
        concurrency: 64,
        bodyLimitBytes: settings.HTTP_BODY_LIMIT_BYTES,
        timeoutMs: 120_000,
      }),
  },
];
