import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Request, RequestHandler } from "express";
import type { Logger } from "../../observability/logger.js";

/** `?token=` carries the admin token when a browser opens an admin page: never logged. */
function withoutTokenParameter(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, "$1[redacted]");
}

const requestIdPattern = /^[\w.-]{1,128}$/;

/** How a log line names the request it is about. */
export function requestFields(req: Request): RequestFields {
  return fieldsOf(req.id, req.method, req.originalUrl);
}

type RequestFields = { req: { id: string; method: string; url: string } };

/** `requestFields` of a request no framework has seen, by the id `startRequestLog` gave it. */
export function fieldsOf(id: string, method: string | undefined, url: string | undefined): RequestFields {
  return { req: { id, method: method ?? "", url: withoutTokenParameter(url ?? "") } };
}

/**
 * Gives the request its id (the client's `X-Request-Id` when valid), echoed in the answer, and
 * logs the answer once it is sent (info; error for a 5xx; warn when the client left first).
 * Nothing per request is built for a level that is off: on the ingest path this costs an id and
 * one listener. Framework-free, for the ingest fast path as for every other route.
 */
export function startRequestLog(logger: Logger, req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers["x-request-id"];
  const id = typeof incoming === "string" && requestIdPattern.test(incoming) ? incoming : randomUUID();
  res.setHeader("X-Request-Id", id);
  if (logger.isLevelEnabled("warn")) {
    const started = performance.now();
    // Read now: a router rewrites `req.url` as it mounts sub-routers.
    const url = req.url;
    res.once("close", () => {
      const responseTime = Math.round(performance.now() - started);
      if (!res.writableFinished) {
        logger.warn({ ...fieldsOf(id, req.method, url), responseTime }, "request aborted");
        return;
      }
      const level = res.statusCode >= 500 ? "error" : "info";
      if (logger.isLevelEnabled(level))
        logger[level](
          { ...fieldsOf(id, req.method, url), res: { status: res.statusCode }, responseTime },
          "request completed",
        );
    });
  }
  return id;
}

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    req.id = startRequestLog(logger, req, res);
    req.log = logger;
    next();
  };
}
