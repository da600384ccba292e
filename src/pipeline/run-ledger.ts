import type { EventRepository } from "../domain/events/event-repository.js";

/**
 * What the worker's stages read and write of an event's run: its start, the audience found,
 * and the report of each job. Only these methods, so a stage runs on an in-memory ledger in
 * a test as well as on the store.
 */
export type RunLedger = Pick<EventRepository, "currentRun" | "find" | "recordAudience" | "recordJobDone">;

/** Where the webhook stage writes what each call to the customer's server gave. */
export type WebhookLog = Pick<EventRepository, "recordWebhookAttempt" | "recordWebhookOutcome">;
