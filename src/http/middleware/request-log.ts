import { randomUUID } from "node:crypto";
import type { Request, RequestHandler } from "express";
import type { Logger } from "../../observability/logger.js";

/** `?token=` carries the admin token when a browser opens an admin page: never logged. */
function withoutTokenParameter(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, "$1[redacted]");
}

const requestIdPattern = /^[\w.-]{1,128}$/;

/** How a log line names the request it is about. */
export function requestFields(req: Request): { req: { id: string; method: string; url: string } } {
  return { req: { id: req.id, method: req.method, url: withoutTokenParameter(req.originalUrl) } };
}

/**
 * Gives each request its id (the client's `X-Request-Id` when valid), echoed in the answer, and
 * logs each answer once it is sent (info; error for a 5xx; warn when the client left first).
 * Nothing per request is built for a level that is off: on the ingest path this middleware
 * costs an id and one listener.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers["x-request-id"];
    const id = typeof incoming === "string" && requestIdPattern.test(incoming) ? incoming : randomUUID();
    res.setHeader("X-Request-Id", id);
    req.id = id;
    req.log = logger;
    if (logger.isLevelEnabled("warn")) {
      const started = performance.now();
      res.once("close", () => {
        const responseTime = Math.round(performance.now() - started);
        if (!res.writableFinished) {
          logger.warn({ ...requestFields(req), responseTime }, "request aborted");
          return;
        }
        const level = res.statusCode >= 500 ? "error" : "info";
        if (logger.isLevelEnabled(level))
          logger[level](
            { ...requestFields(req), res: { status: res.statusCode }, responseTime },
            "request completed",
          );
      });
    }
    next();
  };
}
