import { Router } from "express";
import type { GatewayMetrics } from "../../observability/metrics.js";
import { route } from "../routing.js";

/** `/metrics`: this process's instruments for Prometheus. */
export function metricsRoutes(metrics: GatewayMetrics): Router {
  const router = Router();
  route(router, "/metrics", {
    get: [
      async (_req, res) => {
        const exposition = await metrics.scrape();
        res.type(metrics.contentType).send(exposition);
      },
    ],
  });
  return router;
}
