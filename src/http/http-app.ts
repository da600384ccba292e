import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import express, { type Express, type Router } from "express";
import type { Logger } from "../observability/logger.js";
import "./request-context.js";
import { requireJsonContentType } from "./middleware/body.js";
import { requestLog } from "./middleware/request-log.js";
import { securityHeadersMiddleware } from "./middleware/security-headers.js";
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
  app.use(securityHeadersMiddleware);
  for (const router of options.pages ?? []) app.use(router);
  app.use(requireJsonContentType);
  for (const router of options.routers) app.use(router);
  app.use(notFoundHandler);
  app.use(problemHandler);
  return app;
}

/**
 * Takes a request before the framework sees it, or calls `next` to leave it to the app. Before:
 * express gives each request and answer its own prototype, which alone costs a hot route much
 * of what the route's own work does.
 */
export type FastPath = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** The server's listener: each fast path in turn may take a request, the app answers the rest. */
export function withFastPaths(app: Express, fastPaths: FastPath[]): RequestListener {
  return (req, res) => {
    const tryFrom = (index: number): void => {
      const fastPath = fastPaths[index];
      if (fastPath) fastPath(req, res, () => tryFrom(index + 1));
      else app(req, res);
    };
    tryFrom(0);
  };
}
