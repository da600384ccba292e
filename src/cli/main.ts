#!/usr/bin/env node
import { Command, InvalidArgumentError } from "commander";
import { ConfigError } from "../config/load.js";
import { RedisUnavailableError } from "../queue/embedded-redis.js";
import { gatewayVersion } from "../runtime/version.js";
import { UnsupportedDatabaseError } from "../storage/open-store.js";
import { demoCommand } from "./commands/demo.js";
import { listenCommand } from "./commands/listen.js";
import { migrateCommand } from "./commands/migrate.js";
import { replayCommand } from "./commands/replay.js";
import { samplesCommand } from "./commands/samples.js";
import { simulateCommand } from "./commands/simulate.js";
import { startCommand } from "./commands/start.js";
import { UserError } from "./user-error.js";

/** Errors a user can act on: one line, no stack. */
const userErrors = [
  ConfigError,
  RedisUnavailableError,
  UnsupportedDatabaseError,
  InvalidArgumentError,
  UserError,
];

const program = new Command()
  .name("pushgate")
  .description("Self-hosted webhook relay and push gateway for chat apps")
  .version(gatewayVersion)
  .addCommand(startCommand)
  .addCommand(migrateCommand)
  .addCommand(replayCommand)
  .addCommand(listenCommand)
  .addCommand(simulateCommand)
  .addCommand(samplesCommand)
  .addCommand(demoCommand);

program.parseAsync().catch((error: unknown) => {
  if (userErrors.some((type) => error instanceof type)) {
    process.stderr.write(`pushgate: ${(error as Error).message}\n`);
  } else {
    process.stderr.write(`pushgate: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exit(1);
});
