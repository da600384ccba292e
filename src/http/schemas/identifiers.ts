import { userIdListEntry } from "../../domain/events/live-event.js";

/** Ids the customer chooses (users, channels, devices, events): opaque, bounded, printable — as in events. */
export const userIdSchema = userIdListEntry;
export const channelIdSchema = userIdListEntry;
export const deviceIdSchema = userIdListEntry;
export const eventIdSchema = userIdListEntry;
