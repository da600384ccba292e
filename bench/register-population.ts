import type { BenchOptions } from "./bench-options.js";
import { type BenchApp, type Member, registerMembers } from "./client/population.js";
import { registerMembersInStore } from "./client/store-population.js";
import type { BenchWorld } from "./harness/bench-world.js";
import type { BenchResults } from "./report/bench-results.js";
import type { Progress } from "./report/progress.js";

/** Signs in and registers `members` (one device each), through the client API or straight into the store. */
export async function register(
  world: BenchWorld,
  app: BenchApp,
  members: Member[],
  options: BenchOptions,
  progress: Progress,
  store = "",
): Promise<NonNullable<BenchResults["registration"]>> {
  const via = options.register;
  progress.phase(
    `${store}registering ${members.length} devices ${via === "http" ? "through the client API" : "in the store"}`,
  );
  const perSecond =
    via === "http"
      ? await registerMembers(world.client, app, members, options.concurrency)
      : await registerMembersInStore(world.gatewayEnv, app, members);
  return { devices: members.length, via, perSecond };
}
