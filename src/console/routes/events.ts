import { type Request, type Response, Router } from "express";
import type { App } from "../../domain/apps/app.js";
import type { AppService } from "../../domain/apps/app-service.js";
import {
  type DeviceDeliveryRepository,
  type DeviceOutcome,
  deviceOutcomes,
} from "../../domain/events/device-delivery.js";
import type { EventRecord, EventStatus } from "../../domain/events/event-record.js";
import type { EventRepository } from "../../domain/events/event-repository.js";
import { liveEventTypes } from "../../domain/events/live-event.js";
import { HttpProblem } from "../../http/problem.js";
import { QueueUnavailableError } from "../../pipeline/ingest/event-intake.js";
import type { EventReplayer } from "../../pipeline/replay-events.js";
import { consoleBase, consoleLocals, formOf, requireAppVisible } from "../console-auth.js";
import {
  type EventFilter,
  eventListPage,
  eventPage,
  eventStatuses,
  eventStory,
  replayableStatuses,
} from "../views/events.js";

type EventCursor = { receivedAt: Date; id: string };

const pageSize = 50;
/** The store cannot filter by type: at most this many events are read to fill one page of a type. */
const typeScanLimit = 2000;

/** A `datetime-local` value, read as UTC; empty is no bound. */
function utcDate(value: string): Date | undefined {
  if (value === "") return undefined;
  const date = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`);
  if (Number.isNaN(date.getTime())) {
    throw new HttpProblem(400, "validation", `${value} is not a date and time`);
  }
  return date;
}

function text(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

export interface EventConsoleDeps {
  apps: AppService;
  events: EventRepository;
  deliveries: Pick<DeviceDeliveryRepository, "list">;
  replayer: EventReplayer;
  /** Events one bulk replay queues again at most. */
  replayBulkMax: number;
}

/** Per-device records one page of an event's story shows. */
const devicesShown = 100;

export function eventRoutes({ apps, events, deliveries, replayer, replayBulkMax }: EventConsoleDeps): Router {
  const router = Router();

  async function replay(appId: string, ids: string[]): Promise<string[]> {
    try {
      return await replayer.replay(appId, ids);
    } catch (error) {
      if (error instanceof QueueUnavailableError) {
        throw new HttpProblem(
          503,
          "queue-unavailable",
          "The queue (Redis) is unreachable: the events it did not take are as they were. Replay them again later.",
        );
      }
      throw error;
    }
  }

  async function visibleApps(res: Response): Promise<App[]> {
    const scope = consoleLocals(res).session.scope;
    if (scope?.kind === "app") return [await apps.get(scope.appId)];
    return apps.list();
  }

  function filterOf(req: Request, visible: App[]): EventFilter {
    const status = text(req.query.status);
    const type = text(req.query.type);
    return {
      appId: visible.some((app) => app.id === req.query.app) ? String(req.query.app) : (visible[0]?.id ?? ""),
      type: (liveEventTypes as readonly string[]).includes(type) ? type : "",
      status: eventStatuses.includes(status as EventStatus) ? (status as EventStatus) : "",
      since: text(req.query.since),
      until: text(req.query.until),
    };
  }

  /** One page of matching events, newest first, and where the next page starts (null: no more). */
  async function eventPageOf(filter: EventFilter, before: EventCursor | undefined) {
    const matches: EventRecord[] = [];
    let cursor = before;
    let scanned = 0;
    while (scanned < typeScanLimit) {
      const batch = await events.list(filter.appId, {
        status: filter.status || undefined,
        since: utcDate(filter.since),
        until: utcDate(filter.until),
        limit: pageSize,
        before: cursor,
      });
      scanned += batch.length;
      for (const record of batch) {
        cursor = { receivedAt: record.receivedAt, id: record.id };
        if (!filter.type || record.type === filter.type) matches.push(record);
        if (matches.length === pageSize) return { matches, next: cursor };
      }
      if (batch.length < pageSize) return { matches, next: null };
    }
    return { matches, next: cursor ?? null };
  }

  router.get("/events", async (req, res) => {
    const visible = await visibleApps(res);
    const filter = filterOf(req, visible);
    const beforeId = text(req.query.before_id);
    const beforeAt = Number(req.query.before_at);
    const before =
      beforeId && Number.isFinite(beforeAt) ? { id: beforeId, receivedAt: new Date(beforeAt) } : undefined;
    const { matches, next } = filter.appId ? await eventPageOf(filter, before) : { matches: [], next: null };
    const olderQuery = next
      ? new URLSearchParams({
          app: filter.appId,
          type: filter.type,
          status: filter.status,
          since: filter.since,
          until: filter.until,
          before_id: next.id,
          before_at: String(next.receivedAt.getTime()),
        }).toString()
      : null;
    res.send(
      eventListPage(consoleLocals(res), {
        apps: visible,
        types: liveEventTypes,
        filter,
        events: matches,
        olderQuery,
        notice: text(req.query.replayed) ? `${text(req.query.replayed)} event(s) queued again.` : undefined,
      }).text,
    );
  });

  router.post("/events/replay", async (_req, res) => {
    const form = formOf(res);
    const appId = form.text("app");
    requireAppVisible(res, appId);
    const status = form.text("status");
    if (!(replayableStatuses as readonly string[]).includes(status)) {
      throw new HttpProblem(
        400,
        "validation",
        `replay takes events that are ${replayableStatuses.join(", ")}`,
      );
    }
    const ids = await events.idsFor(
      appId,
      {
        status: status as (typeof replayableStatuses)[number],
        since: utcDate(form.text("since")),
        until: utcDate(form.text("until")),
      },
      replayBulkMax,
    );
    const replayed = await replay(appId, ids);
    res.redirect(
      303,
      `${consoleBase}/events?${new URLSearchParams({ app: appId, replayed: String(replayed.length) })}`,
    );
  });

  router.get("/apps/:app_id/events/:event_id", async (req, res) => {
    const appId = req.params.app_id;
    requireAppVisible(res, appId);
    const record = await events.find(appId, req.params.event_id);
    if (!record) throw new HttpProblem(404, "not-found", `no event ${req.params.event_id} in this app`);
    const attempts = record.mode === "webhook" ? await events.webhookAttempts(appId, record.id) : [];
    // htmx polls the story while the event is in flight: only that part is sent again.
    if (req.header("hx-request") === "true") {
      res.send(eventStory(record, attempts).text);
      return;
    }
    const notice = req.query.replayed ? "The event is queued again." : undefined;
    const outcome = text(req.query.outcome);
    const filter = {
      outcome: (deviceOutcomes as readonly string[]).includes(outcome)
        ? (outcome as DeviceOutcome)
        : undefined,
      afterToken: text(req.query.after) || undefined,
    };
    const devices = await deliveries.list(appId, record.id, { ...filter, limit: devicesShown });
    const view = { filter, devices, more: devices.length === devicesShown };
    res.send(eventPage(consoleLocals(res), await apps.get(appId), record, attempts, view, notice).text);
  });

  router.post("/apps/:app_id/events/:event_id/replay", async (req, res) => {
    const appId = req.params.app_id;
    requireAppVisible(res, appId);
    const [replayed] = await replay(appId, [req.params.event_id]);
    if (!replayed) throw new HttpProblem(404, "not-found", `no event ${req.params.event_id} in this app`);
    res.redirect(303, `${consoleBase}/apps/${appId}/events/${encodeURIComponent(replayed)}?replayed=1`);
  });

  return router;
}
