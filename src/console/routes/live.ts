import { Router } from "express";
import { consoleLocals } from "../console-auth.js";
import type { MetricsSampler } from "../live/metrics-sampler.js";
import { liveCharts, livePage } from "../views/live.js";

export function liveRoutes(sampler: MetricsSampler): Router {
  const router = Router();
  router.get("/live", (_req, res) => {
    res.send(livePage(consoleLocals(res), sampler.recent(), sampler.intervalMs).text);
  });
  router.get("/live/charts", (_req, res) => {
    res.send(liveCharts(sampler.recent(), sampler.intervalMs).text);
  });
  return router;
}
