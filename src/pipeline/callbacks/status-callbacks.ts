import { createHash } from "node:crypto";
import type { App, StatusCallbackType } from "../../domain/apps/app.js";
import type { Clock } from "../../domain/clock.js";
import type { EventRecord } from "../../domain/events/event-record.js";
import type { TokenProvider } from "../../providers/push-provider.js";
import { newId } from "../../security/credentials.js";
import type { AppLookup } from "../current-run.js";

/** Why a token was removed: a provider refused it at a send, or an Expo receipt said it is dead. */
export type TokenRemovalReason = "invalid_token" | "receipt";

export interface TokenRemovedData {
  user_id: string;
  /** The `device_id` the client registered with; null when it registered without one. */
  device_id: string | null;
  provider: TokenProvider;
  token: string;
  reason: TokenRemovalReason;
}

export interface RunEndedData {
  event_id: string;
  event_type: string;
  status: "completed" | "expired" | "failed";
  recipients: number;
  suppressed: number;
  deliveries: { sent: number; failed: number; invalid_tokens: number; expired: number };
  error?: string;
}

export interface WebhookDisabledData {
  reason: string;
  disabled_at: string;
}

/** What the app's status callback URL receives (docs/api.md, "Status callbacks"). */
export interface StatusCallbackBody<Data = unknown> {
  type: StatusCallbackType;
  app_id: string;
  occurred_at: string;
  data: Data;
}

/** One callback to make: its `webhook-id` (the same at every attempt) and its exact body. */
export interface CallbackJob {
  appId: string;
  id: string;
  body: string;
}

/** What it takes of an app to make its callbacks. */
export type CallbackApp = Pick<App, "id" | "statusCallback">;

export interface CallbackQueue {
  add(job: CallbackJob): Promise<void>;
}

/**
 * Queues the callbacks an app asked for; the `callbacks` queue makes them, so that a slow
 * receiver never holds up what reported them.
 */
export class StatusCallbacks {
  constructor(
    private readonly apps: AppLookup,
    private readonly queue: CallbackQueue,
    private readonly clock: Clock,
  ) {}

  /** The app, when it exists and wants `type`: the one read made before anything that only a callback needs. */
  async appWanting(appId: string, type: StatusCallbackType): Promise<App | null> {
    const app = await this.apps.findById(appId);
    return app?.statusCallback?.events.includes(type) ? app : null;
  }

  async tokenRemoved(app: CallbackApp, data: TokenRemovedData): Promise<void> {
    await this.emit(app, "device.token_removed", data, newId("cb"));
  }

  /**
   * The end of an event's run: `event.completed` (status `completed` or `expired`) or
   * `event.failed`. Its id derives from the run, so that a run's end reported twice is one callback.
   */
  async runEnded(app: CallbackApp, record: EventRecord): Promise<void> {
    if (record.status !== "completed" && record.status !== "expired" && record.status !== "failed") return;
    const type = record.status === "failed" ? "event.failed" : "event.completed";
    const data: RunEndedData = {
      event_id: record.id,
      event_type: record.type,
      status: record.status,
      recipients: record.recipients,
      suppressed: record.suppressed,
      deliveries: {
        sent: record.sent,
        failed: record.failed,
        invalid_tokens: record.invalidTokens,
        expired: record.expired,
      },
      ...(record.error !== null && { error: record.error }),
    };
    await this.emit(app, type, data, stableId(app.id, record.id, String(record.run), type));
  }

  /** The breaker turned the app's webhook off (src/pipeline/webhook/breaker.ts). */
  async webhookDisabled(app: CallbackApp, reason: string, disabledAt: Date): Promise<void> {
    const data: WebhookDisabledData = { reason, disabled_at: disabledAt.toISOString() };
    await this.emit(app, "webhook.disabled", data, newId("cb"));
  }

  private async emit(app: CallbackApp, type: StatusCallbackType, data: unknown, id: string): Promise<void> {
    if (!app.statusCallback?.events.includes(type)) return;
    const body: StatusCallbackBody = {
      type,
      app_id: app.id,
      occurred_at: this.clock.now().toISOString(),
      data,
    };
    await this.queue.add({ appId: app.id, id, body: JSON.stringify(body) });
  }
}

function stableId(...parts: string[]): string {
  return `cb_${createHash("sha256").update(parts.join("\n")).digest("base64url").slice(0, 22)}`;
}
