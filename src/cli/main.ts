#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from "commander";
import { ConfigError, loadSettings } from "../config/load.js";
import type { Settings } from "../config/settings.js";
import { createLogger } from "../observability/logger.js";
import { RedisUnavailableError } from "../queue/embedded-redis.js";
import { Gateway } from "../runtime/gateway.js";
import { deriveKey } from "../security/derive-key.js";
import { localSecret, newSecretBoxKey } from "../security/local-keys.js";
import { SecretBox } from "../security/secret-box.js";
import { openStore, UnsupportedDatabaseError } from "../storage/open-store.js";

/** Errors a user can act on: one line, no stack. */
const userErrors = [ConfigError, RedisUnavailableError, UnsupportedDatabaseError, InvalidArgumentError];

async function startCommand(options: { role?: Settings["PUSHGATE_ROLE"] }): Promise<void> {
  const settings = loadSettings({ overrides: options.role ? { PUSHGATE_ROLE: options.role } : {} });
  const logger = createLogger(settings.LOG_LEVEL);
  const gateway = await Gateway.start(settings, logger);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "draining: no new requests, finishing running jobs");
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

async function migrateCommand(): Promise<void> {
  const settings = loadSettings();
  const secretKey = localSecret(
    settings.PUSHGATE_SECRET_KEY,
    settings.DATA_DIR,
    "secret-key",
    newSecretBoxKey,
  );
  const masterKey = Buffer.from(secretKey.value, "base64");
  const store = await openStore(settings.DATABASE_URL, new SecretBox(deriveKey(masterKey, "secret-box")));
  await store.close();
  process.stdout.write(`database schema is up to date (${store.kind})\n`);
}

const program = new Command()
  .name("pushgate")
  .description("Self-hosted webhook relay and push gateway for chat apps")
  .showHelpAfterError();

program
  .command("start")
  .description(
    "run the gateway (HTTP API and workers, per --role); settings come from config/ and the environment",
  )
  .addOption(
    new Option("--role <role>", "what this process runs (overrides PUSHGATE_ROLE)").choices([
      "all",
      "api",
      "worker",
    ]),
  )
  .action(startCommand);

program.command("migrate").description("apply pending database migrations and exit").action(migrateCommand);

program.parseAsync().catch((error: unknown) => {
  if (userErrors.some((type) => error instanceof type)) {
    process.stderr.write(`pushgate: ${(error as Error).message}\n`);
  } else {
    process.stderr.write(`pushgate: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exit(1);
});
