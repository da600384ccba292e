import { statusCallbackTypes } from "../../domain/apps/app.js";
import { failuresReason } from "../../domain/apps/webhook-health.js";
import type { EventRecord } from "../../domain/events/event-record.js";
import {
  type CallbackApp,
  type CallbackJob,
  StatusCallbacks,
} from "../../pipeline/callbacks/status-callbacks.js";
import type { SampleText } from "./delivery-samples.js";

const app: CallbackApp = {
  id: "app_samples",
  statusCallback: { url: "https://chat.example.com/pushgate/status", events: [...statusCallbackTypes] },
};

const at = new Date("2026-11-30T09:15:00.000Z");

const completedRun: EventRecord = {
  appId: app.id,
  id: "evt_01JDX4M3",
  type: "message.created",
  mode: "direct",
  status: "completed",
  payload: {} as EventRecord["payload"],
  receivedAt: at,
  completedAt: at,
  expiresAt: null,
  run: 0,
  recipients: 3,
  suppressed: 1,
  suppressedBy: { channel: 1 },
  tokens: 4,
  sent: 3,
  failed: 0,
  invalidTokens: 1,
  expired: 0,
  silenced: 0,
  folded: 0,
  error: null,
  webhookOutcome: null,
};

/** One body per callback type, made by the gateway's own code (`callbacks/<type>.json`). */
export async function generateCallbackSamples(): Promise<SampleText[]> {
  const made: CallbackJob[] = [];
  const callbacks = new StatusCallbacks(
    { findById: () => Promise.reject(new Error("samples look up no app")) },
    { add: async (job) => void made.push(job) },
    { now: () => at },
  );
  await callbacks.tokenRemoved(app, {
    user_id: "u2",
    device_id: "android-u2",
    provider: "gcm",
    token: "eY3kQm0xT9aVbCw1:APA91bHxk2Lq8pZr4sT6uW0yB3dF5hJ7lN9qS1vX3zC5eG7iK9mO1rU3wY5abcd1234",
    reason: "invalid_token",
  });
  await callbacks.runEnded(app, completedRun);
  await callbacks.runEnded(app, {
    ...completedRun,
    id: "evt_01JDX4N7",
    status: "failed",
    tokens: 0,
    sent: 0,
    invalidTokens: 0,
    error: "connect ECONNREFUSED 10.0.4.12:5432",
  });
  const streak = { count: 100, since: new Date(at.getTime() - 61 * 60_000) };
  await callbacks.webhookDisabled(app, failuresReason(streak, at, "HTTP 503"), at);
  return made.map((job) => {
    const body = JSON.parse(job.body) as { type: string };
    return { name: `${body.type}.json`, text: `${JSON.stringify(body, null, 2)}\n` };
  });
}
