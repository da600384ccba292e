import { setFlagsFromString } from "node:v8";
import { Command, Option } from "commander";
import { loadSettings } from "../../config/load.js";
import type { Settings } from "../../config/settings.js";
import { createLogger } from "../../observability/logger.js";
import { Gateway } from "../../runtime/gateway.js";
import { listenError } from "../user-error.js";

interface StartOptions {
  role?: Settings["PUSHGATE_ROLE"];
}

/** `HEAP_GROWTH_PERCENT`, unless node was given `--heap-growing-percent` itself. */
function boundHeapGrowth(percent: number): void {
  if (percent === 0 || process.execArgv.some((flag) => flag.startsWith("--heap-growing-percent"))) return;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/** Runs the gateway until SIGTERM/SIGINT, then drains it. */
async function start(options: StartOptions): Promise<void> {
  const settings = loadSettings({ overrides: options.role ? { PUSHGATE_ROLE: options.role } : {} });
  boundHeapGrowth(settings.HEAP_GROWTH_PERCENT);
  const logger = createLogger(settings.LOG_LEVEL, settings.LOG_FORMAT);
  const started = Gateway.start(settings, logger).catch((error: unknown) => {
    throw listenError(error, "HOST, PORT or METRICS_PORT");
  });
  // Listened for before the gateway starts: a signal that follows its "started" line at once
  // must drain it, not find the process without a handler, which ends it on the spot.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "draining: no new requests, finishing running jobs");
    started
      .then((gateway) => gateway.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  await started;
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
