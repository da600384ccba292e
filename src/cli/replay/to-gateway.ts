import { newId } from "../../security/credentials.js";
import { isDeliverySample } from "../samples/sample-shapes.js";
import { failed, type ReplayOutcome } from "./replay-outcome.js";
import { describeNetworkError, postSigned } from "./signed-post.js";

/** Replaying as a chat backend does: signed with the app's event secret. */
export interface EventSource {
  gatewayUrl: string;
  appId: string;
  eventSecret: string;
  /** Else each event gets a fresh id, so the gateway does not take it for a duplicate. */
  keepIds: boolean;
  timeoutMs: number;
}

interface Problem {
  id?: string;
  title?: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

export async function postEventSample(source: EventSource, sample: unknown): Promise<ReplayOutcome> {
  if (isDeliverySample(sample)) {
    return failed(
      "a delivery sample, not a live event: replay events/ to a gateway, deliveries/ to a --target",
    );
  }
  const event =
    source.keepIds || typeof sample !== "object" || sample === null
      ? sample
      : { ...sample, id: newId("evt") };
  const url = `${source.gatewayUrl.replace(/\/+$/, "")}/v1/apps/${encodeURIComponent(source.appId)}/events`;
  let response: Response;
  try {
    response = await postSigned(url, JSON.stringify(event), source.eventSecret, source.timeoutMs);
  } catch (error) {
    return failed(`no answer from ${url}: ${describeNetworkError(error)}`);
  }
  const answer = (await response.json().catch(() => ({}))) as Problem;
  if (response.status === 202) return { ok: true, tally: "queued", detail: `202 queued ${answer.id}` };
  if (response.status === 200) return { ok: true, tally: "duplicate", detail: `200 duplicate ${answer.id}` };
  return failed(`${response.status} ${problemText(answer)}`);
}

function problemText(problem: Problem): string {
  const errors = (problem.errors ?? []).map((error) => `${error.path} ${error.message}`);
  return [problem.title, problem.detail, ...errors].filter(Boolean).join(": ");
}
