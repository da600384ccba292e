import { Command, Option } from "commander";
import { isCallback } from "../listen/callback-text.js";
import { clock, deliveryText, refusalText } from "../listen/delivery-text.js";
import { type AnswerChoice, chooseAnswer, type ListenAnswer } from "../listen/listen-answer.js";
import { type OutagePlan, ScriptedOutage } from "../listen/scripted-outage.js";
import { startReceiver } from "../listen/webhook-receiver.js";
import { parseHttpStatus, parseOutage, parsePort, parseWebhookSecret } from "../option-parsers.js";
import { untilStopSignal } from "../stop-signal.js";

interface ListenOptions extends AnswerChoice {
  host: string;
  port: number;
  secret?: string;
  outage?: OutagePlan;
}

/** A customer's webhook on this machine, answering every delivery the same way (but during an outage). */
async function listen(options: ListenOptions): Promise<void> {
  const answer = await chooseAnswer(options);
  const outage = options.outage && new ScriptedOutage(options.outage, outageWatcher(answer));
  const receiver = await startReceiver({
    host: options.host,
    port: options.port,
    webhookSecret: options.secret,
    // Status callbacks are answered as usual: the outage is the webhook's, and webhook.disabled shows at once.
    answerFor: (delivery) => (!isCallback(delivery.body) && outage?.answerNow()) || answer,
    onDelivery: (delivery, given) => process.stdout.write(deliveryText(delivery, given, new Date())),
    onRefusal: (request, status, reason) =>
      process.stdout.write(refusalText(request, status, reason, new Date())),
  });
  const checking = options.secret
    ? "signatures checked with the given secret"
    : "signatures NOT checked (give --secret <the app's webhook_secret>)";
  const scripted = options.outage
    ? `; from the first delivery, an outage of ${options.outage.seconds} s answering ${options.outage.status}`
    : "";
  process.stdout.write(
    `listening on ${receiver.url}: answering ${answer.status} ${answer.body || "(empty)"}${scripted}; ${checking}; Ctrl-C stops\n`,
  );
  if (answer.caveat) process.stderr.write(`pushgate: note: ${answer.caveat}\n`);
  await untilStopSignal();
  outage?.stop();
  await receiver.close();
}

function outageWatcher(answer: ListenAnswer) {
  return {
    started: (plan: OutagePlan) =>
      process.stdout.write(
        `! ${clock(new Date())} outage begins: every delivery answered ${plan.status} (empty, no Retry-After) for ${plan.seconds} s\n`,
      ),
    ended: () =>
      process.stdout.write(
        `! ${clock(new Date())} outage ends: answering ${answer.status} ${answer.body || "(empty)"} again\n`,
      ),
  };
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
  .option(
    "--outage <[status:]seconds>",
    "play a webhook that is down: from the first delivery, answer every delivery with status (default 503, no body) " +
      "for that long, then as chosen above; to watch the app's webhook turned off and back on (status callbacks are answered as usual)",
    parseOutage,
  )
  .action(listen);
