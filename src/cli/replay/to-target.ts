import { type CustomerDecision, decide2xx, retryAfterMs } from "../../webhooks/customer-answer.js";
import { isDeliverySample, isEventSample } from "../samples/sample-shapes.js";
import { failed, type ReplayOutcome } from "./replay-outcome.js";
import { describeNetworkError, postSigned } from "./signed-post.js";

/** Replaying as Pushgate does: deliveries signed with the app's webhook secret. */
export interface CustomerTarget {
  url: string;
  webhookSecret: string;
  timeoutMs: number;
}

const shownAnswerChars = 200;

export async function postDeliverySample(target: CustomerTarget, sample: unknown): Promise<ReplayOutcome> {
  if (!isDeliverySample(sample)) {
    return failed(
      isEventSample(sample)
        ? "a live event, not a delivery: replay deliveries/ to a --target, events/ to a gateway"
        : "not a delivery: it needs event, notification and recipient_ids",
    );
  }
  let response: Response;
  let answer: Buffer;
  try {
    response = await postSigned(target.url, JSON.stringify(sample), target.webhookSecret, target.timeoutMs);
    answer = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    return failed(
      `no answer from ${target.url}: ${describeNetworkError(error)} → would retry, then fallback`,
    );
  }
  const answered = `${response.status} ${oneLine(answer)}`;
  if (response.status < 200 || response.status >= 300) {
    const retryAfter = retryAfterMs(response.headers.get("retry-after") ?? undefined);
    const wait =
      retryAfter === undefined ? "" : ` (after ${Math.ceil(retryAfter / 1000)} s, per Retry-After)`;
    return failed(`${answered} → would retry${wait}, then fallback`, "retry");
  }
  const decision = decide2xx(response.status, answer, false);
  const recipients = sample.recipient_ids as string[];
  return { ...consequence(decision), detail: `${answered} → ${describe(decision, recipients)}` };
}

function consequence(decision: CustomerDecision): Omit<ReplayOutcome, "detail"> {
  if (decision.kind === "drop") return { ok: true, tally: "drop" };
  if (decision.kind !== "send") return { ok: false, tally: "invalid" };
  const edited = decision.notification !== undefined || decision.recipientIds !== undefined;
  return { ok: true, tally: edited ? "edited" : "send" };
}

/** What Pushgate would do with the answer (docs/api.md §10.2). */
function describe(decision: CustomerDecision, proposedRecipients: string[]): string {
  switch (decision.kind) {
    case "send": {
      const fields = Object.keys(decision.notification ?? {});
      const what =
        fields.length > 0 ? `the notification with ${fields.join(", ")} edited` : "the proposed notification";
      const recipients = decision.recipientIds ?? proposedRecipients;
      const to = recipients.length > 0 ? recipients.join(", ") : "nobody";
      return `would send ${what} to ${to}${decision.recipientIds ? " (edited recipients; toggles still apply)" : ""}`;
    }
    case "drop":
      return "would send nothing";
    default:
      return `${decision.error}: would record it, not retry, and apply the app's fallback`;
  }
}

function oneLine(answer: Buffer): string {
  const text = answer.toString("utf8").replace(/\s+/g, " ").trim();
  if (text === "") return "(empty)";
  return text.length > shownAnswerChars ? `${text.slice(0, shownAnswerChars)}…` : text;
}
