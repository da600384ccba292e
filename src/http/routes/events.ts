import express, { type ErrorRequestHandler, type Request, type RequestHandler, Router } from "express";
import type { App } from "../../domain/apps/app.js";
import type { AppRepository } from "../../domain/apps/app-repository.js";
import type { EventRecord } from "../../domain/events/event-record.js";
import type { EventRepository } from "../../domain/events/event-repository.js";
import { userIdListEntry } from "../../domain/events/live-event.js";
import { parseEvent } from "../../pipeline/ingest/parse-event.js";
import type { EventReplayer } from "../../pipeline/replay-events.js";
import { decodeCursor, encodeCursor } from "../cursor.js";
import type { Authenticator } from "../middleware/auth.js";
import { jsonBody } from "../middleware/body.js";
import { presentEvent } from "../presenters/event.js";
import { HttpProblem } from "../problem.js";
import { route } from "../routing.js";
import {
  type BulkReplayResponse,
  batchSchema,
  bulkReplaySchema,
  listEventsQuery,
} from "../schemas/events.js";
import { type EventIngest, refusalOf, signedHeadersOf } from "./event-ingest.js";

function cursorOf(record: EventRecord): string {
  return encodeCursor([record.receivedAt.getTime(), record.id]);
}

/** The latest time a `Date` holds, in ms since the epoch. */
const latestDateMs = 8.64e15;

function eventAfterCursor(cursor: string): { receivedAt: Date; id: string } {
  return decodeCursor(cursor, ([time, id]) => {
    if (typeof time !== "number" || !Number.isSafeInteger(time) || time < 0 || time > latestDateMs)
      throw new Error("bad cursor");
    return { receivedAt: new Date(time), id: userIdListEntry.parse(id) };
  });
}

export interface EventIngestOptions {
  bodyLimitBytes: number;
  batchMax: number;
  /** Events one bulk replay queues again at most. */
  replayBulkMax: number;
}

const ingestPaths = { single: "/v1/apps/:app_id/events", batch: "/v1/apps/:app_id/events/batch" };

export interface EventRoutesDeps {
  apps: AppRepository;
  events: EventRepository;
  ingest: EventIngest;
  replayer: EventReplayer;
  auth: Authenticator;
}

/**
 * Live events in (docs/api.md §7): verified, validated, deduplicated, and durably queued
 * before 202; and what became of them, with replay (§8).
 */
export function eventRoutes(deps: EventRoutesDeps, options: EventIngestOptions): Router {
  const { apps, events, ingest, replayer, auth } = deps;
  const { observer } = ingest;
  const router = Router();
  const json = jsonBody(options.bodyLimitBytes);
  const rawBody = express.raw({ type: () => true, limit: options.bodyLimitBytes });

  /** Before the body is read: a post to an app that does not exist costs no more than its headers. */
  const knownApp: RequestHandler = async (req, _res, next) => {
    const appId = req.params.app_id as string;
    const app = await apps.findById(appId);
    if (!app) throw new HttpProblem(404, "not-found", `app ${appId} does not exist`);
    req.eventSourceApp = app;
    next();
  };

  /** The app the request posts to, and its verified body's JSON. */
  async function authenticate(req: Request): Promise<{ app: App; body: unknown }> {
    const app = req.eventSourceApp as App;
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    return { app, body: await ingest.verifiedBody(app, signedHeadersOf(req.headers), raw) };
  }

  /**
   * An event's status. Its id may be any valid id: `batch` and `replay` too, whose paths the
   * batch and bulk-replay routes hold for POST, so those routes answer GET with it as well.
   */
  function showEvent(eventIdOf: (req: Request) => string): RequestHandler[] {
    return [
      auth.requireAppAccess,
      async (req, res) => {
        const eventId = eventIdOf(req);
        const record = await events.find(req.params.app_id as string, eventId);
        if (!record) throw new HttpProblem(404, "not-found", `no event ${eventId} in this app`);
        const attempts =
          record.mode === "webhook" ? await events.webhookAttempts(record.appId, record.id) : [];
        res.json(presentEvent(record, attempts));
      },
    ];
  }

  route(router, "/v1/apps/:app_id/events/replay", {
    get: showEvent(() => "replay"),
    post: [
      auth.requireAppAccess,
      json,
      async (req, res) => {
        const appId = req.params.app_id as string;
        const filter = bulkReplaySchema.parse(req.body ?? {});
        // One more than a call replays: whether the caller must come back for the rest. Those
        // replayed are queued again, so the next call's match starts past them.
        const ids = await events.idsFor(
          appId,
          {
            status: filter.status,
            since: filter.since ? new Date(filter.since) : undefined,
            until: filter.until ? new Date(filter.until) : undefined,
          },
          options.replayBulkMax + 1,
        );
        const replayed = await ingest.queueing(
          () => replayer.replay(appId, ids.slice(0, options.replayBulkMax)),
          "the queue is unreachable: the events it did not take are as they were, replay them again later",
        );
        res.status(202).json({
          replayed: replayed.length,
          ids: replayed,
          more: ids.length > options.replayBulkMax,
        } satisfies BulkReplayResponse);
      },
    ],
  });

  route(router, ingestPaths.batch, {
    get: showEvent(() => "batch"),
    post: [
      knownApp,
      rawBody,
      async (req, res) => {
        const { app, body } = await authenticate(req);
        const batch = batchSchema.parse(body);
        if (batch.events.length > options.batchMax) {
          throw new HttpProblem(400, "validation", `a batch holds at most ${options.batchMax} events`, {
            errors: [
              { path: "events", message: `has ${batch.events.length} events; at most ${options.batchMax}` },
            ],
          });
        }
        const parsed = batch.events.map(parseEvent);
        const valid = parsed.flatMap((result) => (result.ok ? [result.event] : []));
        const reservations = await ingest.accept(app, valid);
        let next = 0;
        const results = parsed.map((result) => {
          if (!result.ok) return { id: result.id ?? null, status: "invalid", errors: result.errors };
          const reservation = reservations[next++];
          return { id: result.event.id, status: reservation === "new" ? "queued" : "duplicate" };
        });
        const counted = (status: string) => results.filter((result) => result.status === status).length;
        observer.accepted(counted("queued"));
        observer.duplicate(counted("duplicate"));
        observer.refused("schema", counted("invalid"));
        res.status(202).json({ results });
      },
    ],
  });

  route(router, ingestPaths.single, {
    post: [
      knownApp,
      rawBody,
      async (req, res) => {
        const app = req.eventSourceApp as App;
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const answer = await ingest.single(app, signedHeadersOf(req.headers), raw);
        res.status(answer.status).json(answer.body);
      },
    ],
    get: [
      auth.requireAppAccess,
      async (req, res) => {
        const appId = req.params.app_id as string;
        const query = listEventsQuery.parse(req.query);
        const page = await events.list(appId, {
          status: query.status,
          since: query.since ? new Date(query.since) : undefined,
          until: query.until ? new Date(query.until) : undefined,
          limit: query.limit,
          before: query.cursor ? eventAfterCursor(query.cursor) : undefined,
        });
        const last = page.at(-1);
        res.json({
          events: page.map((record) => presentEvent(record)),
          next_cursor: page.length === query.limit && last ? cursorOf(last) : null,
        });
      },
    ],
  });

  route(router, "/v1/apps/:app_id/events/:event_id", {
    get: showEvent((req) => req.params.event_id as string),
  });

  route(router, "/v1/apps/:app_id/events/:event_id/replay", {
    post: [
      auth.requireAppAccess,
      async (req, res) => {
        const [replayed] = await ingest.queueing(
          () => replayer.replay(req.params.app_id as string, [req.params.event_id as string]),
          "the queue is unreachable: the event was not replayed and is as it was, replay it again later",
        );
        if (!replayed) throw new HttpProblem(404, "not-found", `no event ${req.params.event_id} in this app`);
        res.status(202).json({ id: replayed, status: "queued" });
      },
    ],
  });

  /** A request refused as a whole counts once, however many events it held. */
  const countRefusal: ErrorRequestHandler = (error, req, _res, next) => {
    const path = req.route?.path;
    if (req.method === "POST" && (path === ingestPaths.single || path === ingestPaths.batch)) {
      observer.refused(refusalOf(error), 1);
    }
    next(error);
  };
  router.use(countRefusal);
  return router;
}
