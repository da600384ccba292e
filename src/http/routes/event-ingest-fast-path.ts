import type { IncomingMessage, ServerResponse } from "node:http";
import type { App } from "../../domain/apps/app.js";
import type { Logger } from "../../observability/logger.js";
import type { FastPath } from "../http-app.js";
import { fieldsOf, startRequestLog } from "../middleware/request-log.js";
import { setSecurityHeaders } from "../middleware/security-headers.js";
import { HttpProblem, internalProblem, writeProblem } from "../problem.js";
import { type EventIngest, refusalOf, signedHeadersOf } from "./event-ingest.js";

/** `POST /v1/apps/{app_id}/events` with an app id as the gateway makes them: nothing to decode. */
const singleEventPath = /^\/v1\/apps\/([A-Za-z0-9_-]{1,128})\/events$/;
const plainJson = /^application\/json(\s*;\s*charset=utf-8)?$/i;

/**
 * The app id of a request the fast path takes as it is — a single event, plain JSON of a stated
 * length within the limit, neither compressed nor chunked — else undefined: the router's route
 * answers everything else, refusals of such requests included.
 */
function plainSingleEvent(req: IncomingMessage, bodyLimitBytes: number): string | undefined {
  if (req.method !== "POST") return undefined;
  const appId = singleEventPath.exec(req.url ?? "")?.[1];
  if (appId === undefined) return undefined;
  const { headers } = req;
  if (!plainJson.test(headers["content-type"] ?? "")) return undefined;
  if (headers["content-encoding"] !== undefined || headers["transfer-encoding"] !== undefined)
    return undefined;
  const length = Number(headers["content-length"]);
  return Number.isInteger(length) && length <= bodyLimitBytes ? appId : undefined;
}

export interface EventIngestFastPathOptions {
  findApp: (appId: string) => Promise<App | null>;
  ingest: EventIngest;
  bodyLimitBytes: number;
  logger: Logger;
}

/**
 * The hottest route, before the framework: a signed event to accept costs the api a third of
 * what it costs through express's router, helmet's steps and body-parser (docs/performance.md).
 * It answers with what the router's route answers — the same ingest (`EventIngest`), problems,
 * security headers, request id and log line — and leaves the router every request it does not
 * take as it is, and every unknown app (before reading the body).
 */
export function eventIngestFastPath(options: EventIngestFastPathOptions): FastPath {
  const { findApp, ingest, bodyLimitBytes, logger } = options;
  return (req, res, next) => {
    const appId = plainSingleEvent(req, bodyLimitBytes);
    if (appId === undefined) return next();
    // An unknown app, or a lookup that fails, is the router's to answer, with its whole chain.
    findApp(appId).then(
      (app) => {
        if (!app) return next();
        const id = startRequestLog(logger, req, res);
        setSecurityHeaders(res);
        readBody(req, (raw) => answer(app, raw, id));
      },
      () => next(),
    );

    async function answer(app: App, raw: Buffer, id: string): Promise<void> {
      try {
        const { status, body } = await ingest.single(app, signedHeadersOf(req.headers), raw);
        writeJson(res, status, body);
      } catch (error) {
        ingest.observer.refused(refusalOf(error), 1);
        if (error instanceof HttpProblem) return writeProblem(res, error);
        logger.error({ err: error, ...fieldsOf(id, req.method, req.url) }, "request failed");
        writeProblem(res, internalProblem());
      }
    }
  };
}

/** The body, once whole; nothing if the client goes away first (the request log says so). */
function readBody(req: IncomingMessage, then: (raw: Buffer) => void): void {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.once("end", () => then(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
}

function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}
