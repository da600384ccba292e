import express, { type Express, type Router } from "express";
import helmet from "helmet";
import type { Logger } from "../observability/logger.js";
import "./request-context.js";
import { requireJsonContentType } from "./middleware/body.js";
import { requestLog } from "./middleware/request-log.js";
import { notFoundHandler, problemHandler } from "./problem.js";

export interface HttpAppOptions {
  logger: Logger;
  /** Express's `trust proxy`: whether, and which, proxies' `X-Forwarded-For` gives the client address. */
  trustProxy: boolean | number | string[];
  routers: Router[];
  /** Browser pages that read HTML forms themselves: mounted before the JSON-only body rule. */
  pages?: Router[];
}

/** The HTTP edge: common middleware, the given routers, problem+json for everything that fails. */
export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  // Express hashes every JSON answer for an ETag no client of this API asks for: a 202 to an
  // event paid a SHA-1 of its body. The console, an app of its own, keeps its ETags.
  app.disable("etag");
  app.set("trust proxy", options.trustProxy);
  app.use(requestLog(options.logger));
  app.use(helmet());
  for (const router of options.pages ?? []) app.use(router);
  app.use(requireJsonContentType);
  for (const router of options.routers) app.use(router);
  app.use(notFoundHandler);
  app.use(problemHandler);
  return app;
}
