import { Command, Option } from "commander";
import { parseHttpUrl, parsePositiveInteger, parseWebhookSecret } from "../option-parsers.js";
import { replayFiles } from "../replay/replay-files.js";
import type { ReplayOutcome } from "../replay/replay-outcome.js";
import { collectJsonFiles } from "../replay/sample-files.js";
import { postEventSample } from "../replay/to-gateway.js";
import { postDeliverySample } from "../replay/to-target.js";
import { UserError } from "../user-error.js";

interface ReplayOptions {
  gateway?: string;
  app?: string;
  secret?: string;
  keepIds?: boolean;
  target?: string;
  webhookSecret?: string;
  timeout: number;
}

/** Events to a gateway, or deliveries to a customer's server; exit code 1 when any failed. */
async function replay(paths: string[], options: ReplayOptions): Promise<void> {
  const replayOne = chooseDestination(options);
  const files = await collectJsonFiles(paths);
  const failures = await replayFiles(files, replayOne);
  if (failures > 0) process.exitCode = 1;
}

function chooseDestination(options: ReplayOptions): (sample: unknown) => Promise<ReplayOutcome> {
  if (options.gateway) {
    const { gateway, app, secret } = options;
    if (!app || !secret) {
      throw new UserError("replay to a --gateway needs --app <app_id> and --secret <the app's event_secret>");
    }
    const source = {
      gatewayUrl: gateway,
      appId: app,
      eventSecret: secret,
      keepIds: options.keepIds === true,
      timeoutMs: options.timeout,
    };
    return (sample) => postEventSample(source, sample);
  }
  if (options.target) {
    const { target, webhookSecret } = options;
    if (!webhookSecret) {
      throw new UserError("replay to a --target needs --webhook-secret <the app's webhook_secret>");
    }
    const customer = { url: target, webhookSecret, timeoutMs: options.timeout };
    return (sample) => postDeliverySample(customer, sample);
  }
  throw new UserError(
    "say where to replay: --gateway <url> (events, as your chat backend) or --target <url> (deliveries, as Pushgate)",
  );
}

export const replayCommand = new Command("replay")
  .description(
    "post sample events to a gateway as your chat backend would (--gateway), or sample deliveries to your webhook as Pushgate would (--target)",
  )
  .argument("<paths...>", "JSON files, or folders of them (e.g. webhook-samples/events)")
  .addOption(
    new Option("--gateway <url>", "the gateway to post events to, e.g. http://127.0.0.1:8080")
      .argParser(parseHttpUrl)
      .conflicts(["target", "webhookSecret"]),
  )
  .option("--app <app_id>", "with --gateway: the app the events belong to")
  .option("--secret <whsec_…>", "with --gateway: the app's event_secret", parseWebhookSecret)
  .option(
    "--keep-ids",
    "with --gateway: keep the samples' event ids (the gateway answers duplicate to a repeat)",
  )
  .addOption(
    new Option("--target <url>", "your webhook URL to post deliveries to, e.g. http://127.0.0.1:8787/webhook")
      .argParser(parseHttpUrl)
      .conflicts(["app", "secret", "keepIds"]),
  )
  .option("--webhook-secret <whsec_…>", "with --target: the app's webhook_secret", parseWebhookSecret)
  .option("--timeout <ms>", "how long to wait for each answer", parsePositiveInteger, 5000)
  .action(replay);
