import type { PushTarget } from "../providers/push-provider.js";

/** Process one run of an accepted event. */
export interface EventJob {
  appId: string;
  eventId: string;
  run: number;
}

/** A rendered notification as it travels in a job (dates as ISO strings). */
export interface QueuedMessage {
  title: string;
  body: string;
  data: Record<string, string>;
  threadId?: string;
  expiresAt: string;
  call: boolean;
}

/** Send one chunk of an event's fan-out: to the tokens of `userIds`, or (a retry) to `targets`. */
export interface DeliveryJob {
  appId: string;
  eventId: string;
  run: number;
  message: QueuedMessage;
  userIds?: string[];
  targets?: PushTarget[];
  attempt: number;
}

export interface ScheduledDelivery {
  job: DeliveryJob;
  /** Stable, so that a job enqueued again after a crash is not doubled. */
  jobId: string;
  delayMs?: number;
}

export interface DeliveryQueue {
  add(deliveries: ScheduledDelivery[]): Promise<void>;
}

/** BullMQ refuses ':' in custom job ids. */
export function jobIdOf(...parts: (string | number)[]): string {
  return parts.map((part) => encodeURIComponent(String(part))).join("/");
}
