import { Command, Option } from "commander";
import { deliveryText, refusalText } from "../listen/delivery-text.js";
import { type AnswerChoice, chooseAnswer } from "../listen/listen-answer.js";
import { startReceiver } from "../listen/webhook-receiver.js";
import { parseHttpStatus, parsePort, parseWebhookSecret } from "../option-parsers.js";
import { untilStopSignal } from "../stop-signal.js";

interface ListenOptions extends AnswerChoice {
  host: string;
  port: number;
  secret?: string;
}

/** A customer's webhook on this machine, answering every delivery the same way. */
async function listen(options: ListenOptions): Promise<void> {
  const answer = await chooseAnswer(options);
  const receiver = await startReceiver({
    host: options.host,
    port: options.port,
    webhookSecret: options.secret,
    answer,
    onDelivery: (delivery) => process.stdout.write(deliveryText(delivery, answer, new Date())),
    onRefusal: (request, status, reason) =>
      process.stdout.write(refusalText(request, status, reason, new Date())),
  });
  const checking = options.secret
    ? "signatures checked with the given secret"
    : "signatures NOT checked (give --secret <the app's webhook_secret>)";
  process.stdout.write(
    `listening on ${receiver.url}: answering ${answer.status} ${answer.body || "(empty)"}; ${checking}; Ctrl-C stops\n`,
  );
  if (answer.caveat) process.stderr.write(`pushgate: note: ${answer.caveat}\n`);
  await untilStopSignal();
  await receiver.close();
}

export const listenCommand = new Command("listen")
  .description(
    "a webhook receiver on this machine: prints each delivery and status callback, and answers it with the chosen action",
  )
  .option("--host <host>", "address to listen on", "127.0.0.1")
  .option("--port <port>", "port to listen on (0: any free port)", parsePort, 8787)
  .option(
    "--secret <whsec_…>",
    "the app's webhook_secret: deliveries it did not sign get 401",
    parseWebhookSecret,
  )
  .addOption(
    new Option("--action <action>", "answer every delivery with this action")
      .choices(["send", "drop"])
      .default("send"),
  )
  .addOption(
    new Option(
      "--edit <file.json>",
      "answer with this JSON, e.g. webhook-samples/responses/send-edited.json",
    ).conflicts(["action", "status"]),
  )
  .addOption(
    new Option("--status <code>", "answer with this HTTP status and no body (e.g. 500: Pushgate retries)")
      .argParser(parseHttpStatus)
      .conflicts("action"),
  )
  .action(listen);
