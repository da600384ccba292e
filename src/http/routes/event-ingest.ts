import type { IncomingHttpHeaders } from "node:http";
import { ZodError } from "zod";
import type { App } from "../../domain/apps/app.js";
import type { AppRepository } from "../../domain/apps/app-repository.js";
import type { Clock } from "../../domain/clock.js";
import type { Reservation } from "../../domain/events/event-record.js";
import type { LiveEvent } from "../../domain/events/live-event.js";
import { type EventIntake, QueueUnavailableError } from "../../pipeline/ingest/event-intake.js";
import { parseEvent } from "../../pipeline/ingest/parse-event.js";
import { verifyEventSignature } from "../../pipeline/ingest/verify-event.js";
import { SignatureError, type SignedHeaders } from "../../security/standard-webhooks.js";
import { HttpProblem } from "../problem.js";

/** Why events were not accepted. */
export type EventRefusal =
  | "signature"
  | "schema"
  | "unknown_app"
  | "too_large"
  | "queue_unavailable"
  | "internal";

/** Told what became of received events; a request refused as a whole counts as one. */
export interface EventIngestObserver {
  accepted(count: number): void;
  duplicate(count: number): void;
  refused(reason: EventRefusal, count: number): void;
}

const refusalOfProblem: Record<string, EventRefusal> = {
  "invalid-signature": "signature",
  "not-found": "unknown_app",
  validation: "schema",
  "malformed-json": "schema",
  "queue-unavailable": "queue_unavailable",
};

/** The refusal an error that ended an ingest request stands for. */
export function refusalOf(error: unknown): EventRefusal {
  if (error instanceof HttpProblem) return refusalOfProblem[error.slug] ?? "internal";
  if (error instanceof ZodError) return "schema";
  return (error as { type?: string }).type === "entity.too.large" ? "too_large" : "internal";
}

export type SignedHeaderValues = Partial<Record<keyof SignedHeaders, string | undefined>>;

/** The Standard Webhooks headers of a request (HTTP joins a repeated one with ", "). */
export function signedHeadersOf(headers: IncomingHttpHeaders): SignedHeaderValues {
  const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(", ") : value);
  return {
    "webhook-id": one(headers["webhook-id"]),
    "webhook-timestamp": one(headers["webhook-timestamp"]),
    "webhook-signature": one(headers["webhook-signature"]),
  };
}

/** The answer to one event: new (202) or already accepted (200). */
export interface SingleEventAnswer {
  status: 200 | 202;
  body: { id: string; status: "queued" | "duplicate" };
}

export interface EventIngestDeps {
  apps: AppRepository;
  intake: EventIntake;
  observer: EventIngestObserver;
  clock: Clock;
}

export interface EventIngestRules {
  toleranceSeconds: number;
  /** Seconds a client should wait before retrying while the queue is down. */
  retryAfterSeconds: number;
}

/**
 * What the ingest routes do once the app is known and the body read, with no framework in it:
 * the single-event route runs it from the router and from its fast path alike. Refusals are
 * `HttpProblem`s.
 */
export class EventIngest {
  constructor(
    private readonly deps: EventIngestDeps,
    private readonly rules: EventIngestRules,
  ) {}

  get observer(): EventIngestObserver {
    return this.deps.observer;
  }

  /** The body's JSON, once its signature checks out against one of the app's event secrets. */
  async verifiedBody(app: App, headers: SignedHeaderValues, raw: Buffer): Promise<unknown> {
    try {
      await verifyEventSignature(
        this.deps.apps,
        app,
        headers,
        raw,
        this.rules.toleranceSeconds,
        this.deps.clock,
      );
    } catch (error) {
      if (error instanceof SignatureError) throw new HttpProblem(401, "invalid-signature", error.message);
      throw error;
    }
    try {
      return JSON.parse(raw.toString("utf8"));
    } catch (error) {
      throw new HttpProblem(400, "malformed-json", `the body is not valid JSON: ${(error as Error).message}`);
    }
  }

  /** Claims and queues the events; 503 with `Retry-After` when the queue did not take them. */
  accept(app: App, events: LiveEvent[]): Promise<Reservation[]> {
    return this.queueing(
      () => this.deps.intake.accept(app, events, this.deps.clock.now()),
      "the queue is unreachable: the event was not accepted, send it again later",
    );
  }

  /** `work`'s result; 503 with `Retry-After` and `detail` when the queue did not take its events. */
  async queueing<T>(work: () => Promise<T>, detail: string): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof QueueUnavailableError) {
        throw new HttpProblem(
          503,
          "queue-unavailable",
          detail,
          {},
          { "Retry-After": String(this.rules.retryAfterSeconds) },
        );
      }
      throw error;
    }
  }

  /** One signed event: verified, validated, claimed and queued. */
  async single(app: App, headers: SignedHeaderValues, raw: Buffer): Promise<SingleEventAnswer> {
    const parsed = parseEvent(await this.verifiedBody(app, headers, raw));
    if (!parsed.ok) {
      throw new HttpProblem(400, "validation", "the event does not match the schema of its type", {
        errors: parsed.errors,
      });
    }
    const [reservation] = await this.accept(app, [parsed.event]);
    if (reservation === "new") {
      this.deps.observer.accepted(1);
      return { status: 202, body: { id: parsed.event.id, status: "queued" } };
    }
    this.deps.observer.duplicate(1);
    return { status: 200, body: { id: parsed.event.id, status: "duplicate" } };
  }
}
