import { randomUUID } from "node:crypto";
import express, { type Express, type Router } from "express";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import type { Logger } from "../observability/logger.js";
import "./request-context.js";
import { requireJsonContentType } from "./middleware/body.js";
import { notFoundHandler, problemHandler } from "./problem.js";

export interface HttpAppOptions {
  logger: Logger;
  /** Express's `trust proxy`: whether, and which, proxies' `X-Forwarded-For` gives the client address. */
  trustProxy: boolean | number | string[];
  routers: Router[];
  /** Browser pages that read HTML forms themselves: mounted before the JSON-only body rule. */
  pages?: Router[];
}

/** `?token=` carries the admin token when a browser opens an admin page: never logged. */
function withoutTokenParameter(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, "$1[redacted]");
}

/** The HTTP edge: common middleware, the given routers, problem+json for everything that fails. */
export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", options.trustProxy);
  app.use(
    pinoHttp({
      logger: options.logger,
      genReqId: (req, res) => {
        const incoming = req.headers["x-request-id"];
        const id = typeof incoming === "string" && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader("X-Request-Id", id);
        return id;
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: withoutTokenParameter(req.url),
        }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? "error" : "info"),
    }),
  );
  app.use(helmet());
  for (const router of options.pages ?? []) app.use(router);
  app.use(requireJsonContentType);
  for (const router of options.routers) app.use(router);
  app.use(notFoundHandler);
  app.use(problemHandler);
  return app;
}
