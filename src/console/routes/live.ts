import { type Request, type Response, Router } from "express";
import type { App } from "../../domain/apps/app.js";
import type { AppService } from "../../domain/apps/app-service.js";
import type { EventRepository } from "../../domain/events/event-repository.js";
import { consoleLocals, requireAppVisible } from "../console-auth.js";
import { appSamples } from "../live/app-rates.js";
import type { MetricsSampler } from "../live/metrics-sampler.js";
import { appCharts, type LiveScope, liveCharts, livePage } from "../views/live.js";

/**
 * The live view. The gateway's metrics count every app: only the operator sees them. A server-key
 * session sees its own app's rates, read from its stored events; the operator may pick an app too.
 */
export function liveRoutes(
  sampler: MetricsSampler,
  apps: AppService,
  events: Pick<EventRepository, "list">,
): Router {
  const router = Router();

  /** The app the view is about: the session's own, the one asked for, or none (the whole gateway, operator only). */
  async function scopeOf(req: Request, res: Response): Promise<App | null> {
    const sessionScope = consoleLocals(res).session.scope;
    const asked = typeof req.query.app === "string" ? req.query.app : "";
    const appId = asked || (sessionScope?.kind === "app" ? sessionScope.appId : "");
    if (!appId) return null;
    requireAppVisible(res, appId);
    return apps.get(appId);
  }

  async function charts(req: Request, res: Response): Promise<LiveScope> {
    const app = await scopeOf(req, res);
    if (!app) return { kind: "gateway", charts: liveCharts(sampler.recent(), sampler.intervalMs) };
    const samples = await appSamples(events, app.id, new Date(), sampler.intervalMs, sampler.capacity);
    return { kind: "app", app, charts: appCharts(app, samples, sampler.intervalMs) };
  }

  router.get("/live", async (req, res) => {
    const scope = await charts(req, res);
    const choices = consoleLocals(res).session.scope?.kind === "admin" ? await apps.list() : [];
    res.send(livePage(consoleLocals(res), scope, choices, sampler.intervalMs).text);
  });
  router.get("/live/charts", async (req, res) => {
    res.send((await charts(req, res)).charts.text);
  });
  return router;
}
