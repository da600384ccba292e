import { type Request, type Response, Router } from "express";
import type { App } from "../../domain/apps/app.js";
import type { AppService } from "../../domain/apps/app-service.js";
import {
  type DeviceDeliveryRepository,
  type DeviceOutcome,
  deviceOutcomes,
} from "../../domain/events/device-delivery.js";
import type { EventRecord, EventStatus } from "../../domain/events/event-record.js";
import type { EventRepository, EventSearch } from "../../domain/events/event-repository.js";
import { liveEventTypes } from "../../domain/events/live-event.js";
import { HttpProblem } from "../../http/problem.js";
import { QueueUnavailableError } from "../../pipeline/ingest/event-intake.js";
import type { EventReplayer } from "../../pipeline/replay-events.js";
import type { QueuedRetries } from "../../queue/queued-retries.js";
import { consoleBase, consoleLocals, formOf, requireAppVisible } from "../console-auth.js";
import { eventPage, eventStory, type StoryFacts } from "../views/event-story.js";
import {
  type EventFilter,
  eventListPage,
  eventStatuses,
  filterQuery,
  replayConfirmPage,
} from "../views/events.js";

const pageSize = 50;
/** The list counts its matches up to this many, then says "10,000+": a count reads every match. */
const countBound = 10_000;

/** A valid time of years 1 to 9999: what the API's ISO 8601 times and PostgreSQL's timestamps both hold. */
function isStorableTime(date: Date): boolean {
  const year = date.getUTCFullYear();
  return year >= 1 && year <= 9999;
}

/** A `datetime-local` value, read as UTC; empty is no bound. */
function utcDate(value: string): Date | undefined {
  if (value === "") return undefined;
  const date = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`);
  if (!isStorableTime(date)) {
    throw new HttpProblem(400, "validation", `${value} is not a date and time of years 1 to 9999`);
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
  /** When the run's next retry is due: the queue keeps it. */
  retries: Pick<QueuedRetries, "soonest">;
}

/** Per-device records one page of an event's story shows. */
const devicesShown = 100;
/** Devices of each kind of trouble (failed, dead, expired, retrying) the story names, with the provider's answer. */
const troublesShown = 10;
const troubleOutcomes: DeviceOutcome[] = ["failed", "invalid_token", "expired", "pending"];

/** The list's filter as a store search; the app is asked apart. */
function searchOf(filter: EventFilter): EventSearch {
  return {
    id: filter.id || undefined,
    type: filter.type || undefined,
    status: filter.status || undefined,
    userId: filter.user || undefined,
    channelId: filter.channel || undefined,
    hadFailures: filter.hadFailures || undefined,
    since: utcDate(filter.since),
    until: utcDate(filter.until),
  };
}

/** Open jobs of a run looked at for its next retry: a fan-out's first chunks tell as well as all. */
const retriesLookedAt = 20;

export function eventRoutes({
  apps,
  events,
  deliveries,
  replayer,
  replayBulkMax,
  retries,
}: EventConsoleDeps): Router {
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

  /** The filter from a query string or a form; an app not visible, a type or status unknown, is "any". */
  function filterOf(read: (name: string) => string, visible: App[]): EventFilter {
    const app = read("app");
    const status = read("status");
    const type = read("type");
    return {
      appId: visible.some((one) => one.id === app) ? app : (visible[0]?.id ?? ""),
      id: read("id"),
      type: (liveEventTypes as readonly string[]).includes(type) ? type : "",
      status: eventStatuses.includes(status as EventStatus) ? (status as EventStatus) : "",
      user: read("user"),
      channel: read("channel"),
      hadFailures: read("failures") !== "",
      since: read("since"),
      until: read("until"),
    };
  }

  /** A replay names its app: one not visible, or not there, is refused rather than another taken. */
  async function replayFilterOf(read: (name: string) => string, res: Response): Promise<EventFilter> {
    const appId = read("app");
    requireAppVisible(res, appId);
    const filter = filterOf(read, await visibleApps(res));
    if (filter.appId !== appId) throw new HttpProblem(404, "not-found", `app ${appId} does not exist`);
    return filter;
  }

  const fromQuery = (req: Request) => (name: string) => text(req.query[name]);

  router.get("/events", async (req, res) => {
    const visible = await visibleApps(res);
    const filter = filterOf(fromQuery(req), visible);
    const beforeId = text(req.query.before_id);
    const beforeAt = new Date(Number(req.query.before_at));
    if (beforeId && !isStorableTime(beforeAt)) {
      throw new HttpProblem(400, "validation", "before_at is not a time of a page this console gave");
    }
    const before = beforeId ? { id: beforeId, receivedAt: beforeAt } : undefined;
    const search = searchOf(filter);
    const [matches, count] = filter.appId
      ? await Promise.all([
          events.search(filter.appId, search, { limit: pageSize + 1, before }),
          events.countMatching(filter.appId, search, countBound),
        ])
      : [[], 0];
    const shown = matches.slice(0, pageSize);
    const last = shown.at(-1);
    const olderQuery =
      matches.length > pageSize && last
        ? filterQuery(filter, { before_id: last.id, before_at: String(last.receivedAt.getTime()) })
        : null;
    const replayed = text(req.query.replayed);
    res.send(
      eventListPage(consoleLocals(res), {
        apps: visible,
        types: liveEventTypes,
        filter,
        events: shown,
        count,
        countBound,
        olderQuery,
        paged: before !== undefined,
        notice: replayed ? `${replayed} event(s) queued again.` : undefined,
      }).text,
    );
  });

  /** Asks first: how many finished events the filters match, and that they are queued again. */
  router.get("/events/replay", async (req, res) => {
    const filter = await replayFilterOf(fromQuery(req), res);
    // One more than a replay takes: whether more match than one replay queues again.
    const ids = await events.finishedIdsMatching(filter.appId, searchOf(filter), replayBulkMax + 1);
    const count = ids.length;
    res.send(replayConfirmPage(consoleLocals(res), { filter, count, bulkMax: replayBulkMax }).text);
  });

  router.post("/events/replay", async (_req, res) => {
    const form = formOf(res);
    const filter = await replayFilterOf((name) => form.text(name), res);
    const ids = await events.finishedIdsMatching(filter.appId, searchOf(filter), replayBulkMax);
    const replayed = await replay(filter.appId, ids);
    res.redirect(303, `${consoleBase}/events?${filterQuery(filter, { replayed: String(replayed.length) })}`);
  });

  async function nextRetryAt(appId: string, record: EventRecord): Promise<Date | null> {
    if (record.status !== "processing") return null;
    return retries.soonest(await events.openJobIds(appId, record.id, record.run, retriesLookedAt));
  }

  async function storyFacts(appId: string, record: EventRecord): Promise<StoryFacts> {
    const [attempts, nextRetry, ...troubles] = await Promise.all([
      record.mode === "webhook" ? events.webhookAttempts(appId, record.id) : [],
      nextRetryAt(appId, record),
      ...troubleOutcomes.map((outcome) =>
        deliveries.list(appId, record.id, { outcome, limit: troublesShown }),
      ),
    ]);
    return { attempts, nextRetryAt: nextRetry, troubles: troubles.flat() };
  }

  router.get("/apps/:app_id/events/:event_id", async (req, res) => {
    const appId = req.params.app_id;
    requireAppVisible(res, appId);
    const record = await events.find(appId, req.params.event_id);
    if (!record) throw new HttpProblem(404, "not-found", `no event ${req.params.event_id} in this app`);
    const [app, facts] = await Promise.all([apps.get(appId), storyFacts(appId, record)]);
    // htmx polls the story while the event is in flight: only that part is sent again.
    if (req.header("hx-request") === "true") {
      res.send(eventStory(app, record, facts).text);
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
    res.send(eventPage(consoleLocals(res), app, record, facts, view, notice).text);
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
