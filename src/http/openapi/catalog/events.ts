import { liveEventSchema } from "../../../domain/events/live-event.js";
import { deviceDeliveryListSchema, listDeviceDeliveriesQuery } from "../../schemas/device-deliveries.js";
import {
  acceptedEventResponseSchema,
  batchResponseSchema,
  batchSchema,
  bulkReplayResponseSchema,
  bulkReplaySchema,
  channelMembersSchema,
  duplicateEventResponseSchema,
  eventListResponseSchema,
  eventStatusResponseSchema,
  listEventsQuery,
} from "../../schemas/events.js";
import type { NamedSchema, Operation, OperationResponse } from "../operation.js";
import { invalidRequest } from "./problems.js";

const tag = "Events";
const accepted: NamedSchema = { name: "EventAccepted", schema: acceptedEventResponseSchema };
const channelMembers: NamedSchema = { name: "ChannelMembers", schema: channelMembersSchema };

const badSignature: OperationResponse = {
  description:
    "A webhook-* header is missing, no signature matches one of the app's event secrets, or " +
    "webhook-timestamp is more than `EVENT_TIMESTAMP_TOLERANCE_SECONDS` from now",
};

const queueUnavailable: OperationResponse = {
  description: "The queue is unreachable: nothing was accepted, send again later",
  headers: { "Retry-After": "Seconds to wait before sending again" },
};

const replayNotQueued: OperationResponse = {
  description:
    "The queue is unreachable: an event it did not take is left as it was (a replay by status may have " +
    "queued the events before it), replay again later",
  headers: { "Retry-After": "Seconds to wait before replaying again" },
};

const noSuchApp: OperationResponse = { description: "No such app" };

const noSuchEvent: OperationResponse = {
  description: "No such app, the server key is another app's, or the app has no event with this id",
};

/** Live events in, what became of them, replay; and channel membership (docs/api.md, "Live events"). */
export const eventOperations: Operation[] = [
  {
    method: "post",
    path: "/v1/apps/{app_id}/events",
    tag,
    access: "signedEvent",
    summary: "Send a live event",
    description:
      "Signed per Standard Webhooks over the exact body bytes. Queued durably before the answer; " +
      "an id the app already sent is a duplicate for `EVENT_RETENTION_DAYS`.",
    body: { name: "LiveEvent", schema: liveEventSchema },
    responses: {
      202: { description: "Queued", body: accepted },
      200: {
        description: "This app already accepted an event with this id: not queued again",
        body: { name: "EventDuplicate", schema: duplicateEventResponseSchema },
      },
      400: {
        description: "The body is not JSON, or the event breaks the schema of its type: `errors` lists each",
      },
      401: badSignature,
      404: noSuchApp,
      503: queueUnavailable,
    },
  },
  {
    method: "post",
    path: "/v1/apps/{app_id}/events/batch",
    tag,
    access: "signedEvent",
    summary: "Send several live events",
    description:
      "One signature over the whole batch. Each event is checked against the LiveEvent schema on its own; " +
      "an invalid one does not stop the others.",
    body: { name: "EventBatch", schema: batchSchema },
    responses: {
      202: {
        description: "What became of each event",
        body: { name: "BatchResults", schema: batchResponseSchema },
      },
      400: {
        description: "The body is not JSON, not `{events: [...]}`, empty, or over `EVENT_BATCH_MAX` events",
      },
      401: badSignature,
      404: noSuchApp,
      503: queueUnavailable,
    },
  },
  {
    method: "get",
    path: "/v1/apps/{app_id}/events",
    tag,
    access: "app",
    summary: "List events, newest first",
    query: listEventsQuery,
    responses: {
      200: { description: "A page of events", body: { name: "EventList", schema: eventListResponseSchema } },
      400: invalidRequest,
    },
  },
  ...["{event_id}", "batch", "replay"].map((eventId) => ({
    method: "get" as const,
    path: `/v1/apps/{app_id}/events/${eventId}`,
    tag,
    access: "app" as const,
    summary:
      eventId === "{event_id}"
        ? "What became of an event"
        : `What became of the event whose id is ${eventId}`,
    description:
      eventId === "{event_id}"
        ? undefined
        : `Any valid id can be read: \`${eventId}\` too, whose path POST uses for something else.`,
    responses: {
      200: {
        description: "Status, recipients, webhook calls and delivery counts",
        body: { name: "EventStatus", schema: eventStatusResponseSchema },
      },
      404: noSuchEvent,
    },
  })),
  {
    method: "get",
    path: "/v1/apps/{app_id}/events/{event_id}/deliveries",
    tag,
    access: "app",
    summary: "What became of an event on each device",
    description:
      "One record per device token of the event's current run, in token order: the outcome, the sends, " +
      "and what the provider answered. Kept with the event, for `EVENT_RETENTION_DAYS`.",
    query: listDeviceDeliveriesQuery,
    responses: {
      200: {
        description: "A page of per-device records",
        body: { name: "DeviceDeliveries", schema: deviceDeliveryListSchema },
      },
      400: invalidRequest,
      404: noSuchEvent,
    },
  },
  {
    method: "post",
    path: "/v1/apps/{app_id}/events/{event_id}/replay",
    tag,
    access: "app",
    summary: "Run an event again",
    description: "Tokens that already got it, or were found dead, are not sent to again.",
    responses: {
      202: { description: "Queued again", body: accepted },
      404: noSuchEvent,
      503: replayNotQueued,
    },
  },
  {
    method: "post",
    path: "/v1/apps/{app_id}/events/replay",
    tag,
    access: "app",
    summary: "Run again every event of a status and time range",
    body: { name: "BulkReplay", schema: bulkReplaySchema },
    responses: {
      202: {
        description: "The events queued again",
        body: { name: "BulkReplayResult", schema: bulkReplayResponseSchema },
      },
      503: replayNotQueued,
    },
  },
  {
    method: "get",
    path: "/v1/apps/{app_id}/channels/{channel_id}/members",
    tag: "Channels",
    access: "app",
    summary: "Read a channel's members",
    responses: {
      200: { description: "The members as last set by an event or this API", body: channelMembers },
    },
  },
  {
    method: "put",
    path: "/v1/apps/{app_id}/channels/{channel_id}/members",
    tag: "Channels",
    access: "app",
    summary: "Replace a channel's members",
    body: { name: "ChannelMembers", schema: channelMembersSchema },
    responses: { 200: { description: "The members, without repeats", body: channelMembers } },
  },
];
