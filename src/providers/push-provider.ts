import type { App } from "../domain/apps/app.js";
import type { NotificationTemplate } from "../domain/templates/template.js";

/** Where a device token is sent, from the registration's `provider` (docs/api.md §5). */
export type TokenProvider =
  | "gcm"
  | "apns"
  | "apns_internal"
  | "apns_voip"
  | "apns_internal_voip"
  | "webpush"
  | "expo";

/** A Web Push subscription's keys (RFC 8291), base64url: what its payloads are encrypted to. */
export interface WebPushKeys {
  p256dh: string;
  auth: string;
}

/** A device token the pipeline sends to. */
export interface PushTarget {
  provider: TokenProvider;
  token: string;
  /** Whose token it is; absent from retries queued before it existed. */
  userId?: string;
  /** The client's `device_id` of the token's device, when it registered one. */
  deviceId?: string;
  /** The language its wording is chosen by (the device's, else the user's), kept so a retry gets the same. */
  locale?: string | null;
  /** A Web Push subscription's keys; `token` is then its endpoint. */
  keys?: WebPushKeys;
  /** The app variant (build) the device registered with: its credentials send. */
  variant?: string;
}

/** How devices present a notification: the app's template's own settings (sound, category, Android channel). */
export type Presentation = Pick<NotificationTemplate, "apns" | "android">;

/** A display-ready notification, provider-agnostic; each provider maps it (docs/api.md §9). */
export interface PushMessage {
  title: string;
  body: string;
  /** Custom keys: FCM `data`, APNs top-level keys. Values are strings. */
  data: Record<string, string>;
  /** Event id: FCM notification `tag`, `apns-collapse-id`. */
  collapseId: string;
  /** Channel id: `aps.thread-id`. */
  threadId?: string;
  /** From the app's TTL: `apns-expiration`, FCM `android.ttl`. */
  expiresAt: Date;
  /** `call.ringing`: VoIP push on APNs, high-priority data-only message on FCM. */
  call: boolean;
  /**
   * Held back by a snooze or quiet hours (`quiet_delivery: silent`): shown without sound or
   * interruption, APNs `interruption-level: passive`, FCM Android `PRIORITY_MIN` at normal priority.
   */
  silent?: boolean;
  /**
   * Replaces the previous notification of its burst (same `collapseId`): no sound; FCM Android
   * `PRIORITY_LOW`.
   */
  folded?: boolean;
  presentation?: Presentation;
  /** The recipient's unread count (app setting `badge: count`): APNs `aps.badge`, FCM `notification_count`. */
  badge?: number;
  /**
   * Validate without notifying: FCM `validate_only`. Only FCM has it; the caller keeps other
   * providers' targets out of such a send, as they would notify.
   */
  dryRun?: boolean;
}

/**
 * `providerStatus`: what the provider answered, as it names it (an HTTP status such as `410`, or
 * its own code such as `DeviceNotRegistered`), when it answered; `reason`, its error text.
 */
export type PushOutcome =
  /**
   * `receipt`: a provider that answers before it has tried the device (Expo) gives a ticket to
   * ask about later; only the receipt tells whether the token was dead.
   */
  | { status: "sent"; id?: string; receipt?: string; providerStatus?: string }
  /** The provider says the token is dead: remove it. */
  | { status: "invalid_token"; reason: string; providerStatus?: string }
  /** Worth another try later (429, 5xx, network). */
  | { status: "retry"; reason: string; retryAfterMs?: number; providerStatus?: string }
  /** Will not succeed by retrying (bad credentials, payload refused). */
  | { status: "failed"; reason: string; providerStatus?: string };

/** Told each outcome as soon as it is known, with the index of its target. */
export type OutcomeListener = (index: number, outcome: PushOutcome) => void;

/** Sends one message to many tokens of one app; outcomes come back in the targets' order. */
export interface PushSender {
  send(
    app: App,
    message: PushMessage,
    targets: PushTarget[],
    onOutcome?: OutcomeListener,
  ): Promise<PushOutcome[]>;
  /** What became of sends that answered with a `receipt`; a receipt not ready yet is left out. */
  checkReceipts(app: App, provider: TokenProvider, receipts: string[]): Promise<Map<string, PushOutcome>>;
  close(): Promise<void>;
}
