import { createHash } from "node:crypto";

/**
 * Each user's burst per channel (docs/api.md, Bursts): how many message notifications of the
 * channel they have had since the first one of the window, kept where every worker process
 * sees the same number and forgotten by itself when the window ends.
 */
export interface BurstCounter {
  /**
   * Adds this event's message to each user's burst in the channel, once per (event, run, user),
   * and answers each user's place in it: 1 opens a burst (the window starts then), 2 and more
   * fold into it. A job that runs again gets the burst's current count, unchanged.
   */
  count(
    appId: string,
    eventId: string,
    run: number,
    burst: { channelId: string; windowMs: number },
    userIds: string[],
  ): Promise<Map<string, number>>;
}

/** Apple's limit on `apns-collapse-id`, in bytes. */
const maxCollapseIdBytes = 64;
const readablePrefix = "channel:";

/**
 * The collapse id (APNs `apns-collapse-id`, FCM `tag`) every notification of a channel's bursts
 * shares, so that each one replaces the one before: the channel id when it fits Apple's
 * 64 bytes, else a digest of it (a truncated id could name two channels).
 */
export function burstCollapseId(channelId: string): string {
  const readable = `${readablePrefix}${channelId}`;
  if (Buffer.byteLength(readable, "utf8") <= maxCollapseIdBytes) return readable;
  return `channel#${createHash("sha256").update(channelId).digest("base64url")}`;
}
