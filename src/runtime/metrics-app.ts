import type { Express } from "express";
import { createHttpApp } from "../http/http-app.js";
import { metricsRoutes } from "../http/routes/metrics.js";
import type { RoleContext } from "./role-context.js";

/** A listener for `/metrics` alone: `worker` processes have no other. */
export function buildMetricsApp(context: RoleContext): Express {
  return createHttpApp({
    logger: context.logger,
    trustProxy: context.settings.TRUST_PROXY,
    routers: [metricsRoutes(context.metrics)],
  });
}
