#!/usr/bin/env node
import { Command, InvalidArgumentError } from "commander";
import { ConfigError } from "../config/load.js";
import { RedisUnavailableError } from "../queue/embedded-redis.js";
import { gatewayVersion } from "../runtime/version.js";
import { UnsupportedDatabaseError } from "../storage/open-store.js";
import { UserError } from "./user-error.js";

/** Errors a user can act on: one line, no stack. */
const userErrors = [
  ConfigError,
  RedisUnavailableError,
  UnsupportedDatabaseError,
  InvalidArgumentError,
  UserError,
];

/** Each command's module, in the order `--help` lists them. */
const commands: Record<string, () => Promise<Command>> = {
  start: async () => (await import("./commands/start.js")).startCommand,
  migrate: async () => (await import("./commands/migrate.js")).migrateCommand,
  replay: async () => (await import("./commands/replay.js")).replayCommand,
  listen: async () => (await import("./commands/listen.js")).listenCommand,
  simulate: async () => (await import("./commands/simulate.js")).simulateCommand,
  samples: async () => (await import("./commands/samples.js")).samplesCommand,
  demo: async () => (await import("./commands/demo.js")).demoCommand,
};

/**
 * Only the command named is loaded: `start` runs for the life of the gateway, and the others'
 * modules (the simulators, the demo, replay) would stay in its memory for nothing. Anything
 * else — help, a version, a mistyped name — gets them all, for commander to list or suggest.
 */
async function buildProgram(): Promise<Command> {
  const named = process.argv[2];
  const loaders =
    named !== undefined && Object.hasOwn(commands, named)
      ? [commands[named] as () => Promise<Command>]
      : Object.values(commands);
  const program = new Command()
    .name("pushgate")
    .description("Self-hosted webhook relay and push gateway for chat apps")
    .version(gatewayVersion);
  for (const command of await Promise.all(loaders.map((load) => load()))) program.addCommand(command);
  return program;
}

buildProgram()
  .then((program) => program.parseAsync())
  .catch((error: unknown) => {
    if (userErrors.some((type) => error instanceof type)) {
      process.stderr.write(`pushgate: ${(error as Error).message}\n`);
    } else {
      process.stderr.write(`pushgate: ${(error as Error)?.stack ?? String(error)}\n`);
    }
    process.exit(1);
  });
