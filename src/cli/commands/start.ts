import { Command, Option } from "commander";
import { loadSettings } from "../../config/load.js";
import type { Settings } from "../../config/settings.js";
import { createLogger } from "../../observability/logger.js";
import { Gateway } from "../../runtime/gateway.js";
import { listenError } from "../user-error.js";

interface StartOptions {
  role?: Settings["PUSHGATE_ROLE"];
}

/** Runs the gateway until SIGTERM/SIGINT, then drains it. */
async function start(options: StartOptions): Promise<void> {
  const settings = loadSettings({ overrides: options.role ? { PUSHGATE_ROLE: options.role } : {} });
  const logger = createLogger(settings.LOG_LEVEL, settings.LOG_FORMAT);
  const gateway = await Gateway.start(settings, logger).catch((error: unknown) => {
    throw listenError(error, "HOST, PORT or METRICS_PORT");
  });
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

export const startCommand = new Command("start")
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
  .action(start);
