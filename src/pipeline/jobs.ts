import type { Presentation, PushTarget } from "../providers/push-provider.js";
import type { DeliveryProposal } from "../webhooks/delivery-body.js";
import type { BurstPlan } from "./stages/burst.js";
import type { Localization } from "./stages/localize.js";

/** Which run of which event a job belongs to. */
export interface RunRef {
  appId: string;
  eventId: string;
  run: number;
}

/** Just the run of a job, without the rest of its data. */
export function runOf(job: RunRef): RunRef {
  return { appId: job.appId, eventId: job.eventId, run: job.run };
}

/** Process one run of an accepted event. */
export type EventJob = RunRef;

/** A rendered notification as it travels in a job (dates as ISO strings). */
export interface QueuedMessage {
  title: string;
  body: string;
  data: Record<string, string>;
  threadId?: string;
  expiresAt: string;
  call: boolean;
  /** Held back by a snooze or quiet hours under `quiet_delivery: silent`: no sound, no interruption. */
  silent?: boolean;
  presentation?: Presentation;
  /** The app's template in each recipient's language; without it every recipient gets `title` and `body`. */
  localized?: Localization;
  /** A message of a channel that folds into its recipients' bursts (app setting `burst_window_seconds`). */
  burst?: BurstPlan;
}

/** Send one chunk of an event's fan-out: to the tokens of `userIds`, or (a retry) to `targets`. */
export interface DeliveryJob extends RunRef {
  message: QueuedMessage;
  userIds?: string[];
  targets?: PushTarget[];
  attempt: number;
}

/** Forward an event to the app's webhook and act on the answer. */
export interface WebhookJob extends RunRef {
  /** `webhook-id`: the same for every attempt of this delivery. */
  deliveryId: string;
  proposal: DeliveryProposal;
  expiresAt: string;
  attempt: number;
}

/** Ask a provider, some minutes after a delivery, what became of the sends it answered with a receipt (Expo). */
export interface ReceiptJob extends RunRef {
  provider: PushTarget["provider"];
  tickets: { token: string; receipt: string }[];
}

/** A job to enqueue, under a stable id so that enqueueing it again after a crash does not double it. */
export interface Scheduled<Job> {
  job: Job;
  jobId: string;
  delayMs?: number;
}

export interface JobQueue<Job> {
  add(jobs: Scheduled<Job>[]): Promise<void>;
}

export type DeliveryQueue = JobQueue<DeliveryJob>;
export type WebhookQueue = JobQueue<WebhookJob>;
export type ReceiptQueue = JobQueue<ReceiptJob>;

/** BullMQ refuses ':' in custom job ids. */
export function jobIdOf(...parts: (string | number)[]): string {
  return parts.map((part) => encodeURIComponent(String(part))).join("/");
}
