import type { LiveEvent } from "../../domain/events/live-event.js";
import { type DeliveryJob, jobIdOf, type QueuedMessage, type RunRef, type Scheduled } from "../jobs.js";
import type { BurstPlan } from "../stages/burst.js";
import type { Localization } from "../stages/localize.js";
import type { Notification } from "../stages/render.js";

/** A rendered notification as delivery jobs carry it: the channel as its thread, the expiry as text. */
export function queuedMessage(
  notification: Notification,
  event: LiveEvent,
  expiresAt: Date | string,
  localized?: Localization,
  burst?: BurstPlan,
): QueuedMessage {
  return {
    title: notification.title,
    body: notification.body,
    data: notification.data,
    threadId: event.channel?.id,
    expiresAt: typeof expiresAt === "string" ? expiresAt : expiresAt.toISOString(),
    call: notification.call,
    ...(notification.presentation && { presentation: notification.presentation }),
    ...(localized && { localized }),
    ...(burst && { burst }),
  };
}

/**
 * The message as it goes to a recipient a snooze or quiet hours hold back: without sound. A
 * call among them rings nowhere: it arrives as a quiet alert, not as a VoIP push or a
 * high-priority data message.
 */
export function silentMessage(message: QueuedMessage): QueuedMessage {
  return { ...message, call: false, silent: true };
}

/**
 * A fan-out cut into delivery jobs of `chunkSize` recipients, so a message to a huge
 * channel is neither one giant job nor one job per recipient. Each chunk's tokens are
 * looked up in one query and sent concurrently.
 */
export function planFanout(
  ref: RunRef,
  message: QueuedMessage,
  userIds: string[],
  chunkSize: number,
  label: string,
): Scheduled<DeliveryJob>[] {
  const jobs: Scheduled<DeliveryJob>[] = [];
  for (let start = 0, index = 0; start < userIds.length; start += chunkSize, index++) {
    jobs.push({
      job: { ...ref, message, userIds: userIds.slice(start, start + chunkSize), attempt: 1 },
      jobId: jobIdOf(ref.appId, ref.eventId, ref.run, label, index),
    });
  }
  return jobs;
}

/**
 * The delivery job of a fan-out small enough for the stage that planned it to send itself
 * (one chunk of at most `maxRecipients`), or undefined when it goes to the queue.
 */
export function inlineDelivery(
  fanout: Scheduled<DeliveryJob>[],
  recipients: number,
  maxRecipients: number,
): Scheduled<DeliveryJob> | undefined {
  return fanout.length === 1 && recipients <= maxRecipients ? fanout[0] : undefined;
}
