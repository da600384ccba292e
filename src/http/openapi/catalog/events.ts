import { liveEventSchema } from "../../../domain/events/live-event.js";
import {
  batchSchema,
  bulkReplaySchema,
  channelMembersSchema,
  listEventsQuery,
} from "../../schemas/events.js";
import type { Operation } from "../operation.js";

const tag = "Events";

/** SPEC §6 and §9: live events in, what became of them, replay; and channel membership. */
export const eventOperations: Operation[] = [
  {
    method: "post",
    path: "/v1/apps/{app_id}/events",
    tag,
    access: "signedEvent",
    summary: "Send a live event",
    description: "Signed over the exact body bytes. Queued durably before the answer.",
    body: { name: "LiveEvent", schema: liveEventSchema },
    responses: { 202: "`{id, status: queued}`", 200: "`{id, status: duplicate}`: this id was seen before" },
  },
  {
    method: "post",
    path: "/v1/apps/{app_id}/events/batch",
    tag,
    access: "signedEvent",
    summary: "Send several live events",
    description: "Each item is checked against the LiveEvent schema on its own; invalid ones are reported.",
    body: { name: "EventBatch", schema: batchSchema },
    responses: { 202: "`{results: [{id, status: queued|duplicate|invalid, errors?}]}`" },
  },
  {
    method: "get",
    path: "/v1/apps/{app_id}/events",
    tag,
    access: "app",
    summary: "List events, newest first",
    query: listEventsQuery,
    responses: { 200: "`{events, next_cursor}`" },
  },
  {
    method: "get",
    path: "/v1/apps/{app_id}/events/{event_id}",
    tag,
    access: "app",
    summary: "What became of an event",
    responses: { 200: "Status, recipients, webhook attempts and delivery counts" },
  },
  {
    method: "post",
    path: "/v1/apps/{app_id}/events/{event_id}/replay",
    tag,
    access: "app",
    summary: "Run an event again",
    description: "Tokens that already got it are not sent to twice.",
    responses: { 202: "`{id, status: queued}`" },
  },
  {
    method: "post",
    path: "/v1/apps/{app_id}/events/replay",
    tag,
    access: "app",
    summary: "Run again every event of a status and time range",
    body: { name: "BulkReplay", schema: bulkReplaySchema },
    responses: { 202: "`{replayed, ids}`" },
  },
  {
    method: "get",
    path: "/v1/apps/{app_id}/channels/{channel_id}/members",
    tag: "Channels",
    access: "app",
    summary: "Read a channel's members",
    responses: { 200: "`{member_ids}`" },
  },
  {
    method: "put",
    path: "/v1/apps/{app_id}/channels/{channel_id}/members",
    tag: "Channels",
    access: "app",
    summary: "Replace a channel's members",
    body: { name: "ChannelMembers", schema: channelMembersSchema },
    responses: { 200: "`{member_ids}`, without repeats" },
  },
];
