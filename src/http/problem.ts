import type { ServerResponse } from "node:http";
import type { ErrorRequestHandler, RequestHandler, Response } from "express";
import { ZodError } from "zod";
import { ConflictError, type FieldError, InvalidInputError, NotFoundError } from "../domain/errors.js";
import { requestFields } from "./middleware/request-log.js";

/** RFC 9457 problem details. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const titles: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    detail: string,
    readonly extensions: Partial<Problem> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export function problemType(slug: string): string {
  return `urn:pushgate:problem:${slug}`;
}

function problemBody(status: number, slug: string, detail: string, extensions: Partial<Problem>): Problem {
  return { type: problemType(slug), title: titles[status] ?? "Error", status, detail, ...extensions };
}

export function sendProblem(
  res: Response,
  status: number,
  slug: string,
  detail: string,
  extensions: Partial<Problem> = {},
): void {
  res
    .status(status)
    .type("application/problem+json")
    .json(problemBody(status, slug, detail, extensions));
}

/** What a request that failed for no reason the client can fix is answered; the log has the error. */
export function internalProblem(): HttpProblem {
  return new HttpProblem(500, "internal", "the gateway failed to handle this request; see its log");
}

/** An `HttpProblem` as a bare `node:http` answer, for a path that runs outside the framework. */
export function writeProblem(res: ServerResponse, problem: HttpProblem): void {
  const body = JSON.stringify(problemBody(problem.status, problem.slug, problem.message, problem.extensions));
  res.writeHead(problem.status, {
    ...problem.headers,
    "Content-Type": "application/problem+json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
}

export function validationErrors(error: ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issue.path.join(".") || "(body)", message: issue.message }));
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, 404, "not-found", `no route for ${req.method} ${req.path}`);
};

/** body-parser's and express's own errors, which carry their status (http-errors). */
interface BodyParserError extends Error {
  type?: string;
  status?: number;
  statusCode?: number;
  limit?: number;
}

function clientErrorStatus(error: BodyParserError): number | null {
  const status = error.status ?? error.statusCode;
  return typeof status === "number" && status >= 400 && status < 500 ? status : null;
}

/** Turns every error into problem+json; unexpected ones are logged, not shown. */
export const problemHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  if (res.headersSent) return;
  if (error instanceof HttpProblem) {
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    return sendProblem(res, error.status, error.slug, error.message, error.extensions);
  }
  if (error instanceof ZodError) {
    return sendProblem(res, 400, "validation", "the request does not match the schema", {
      errors: validationErrors(error),
    });
  }
  if (error instanceof InvalidInputError) {
    return sendProblem(res, 400, "validation", error.message, { errors: error.errors });
  }
  if (error instanceof NotFoundError) return sendProblem(res, 404, "not-found", error.message);
  if (error instanceof ConflictError) return sendProblem(res, 409, "conflict", error.message);
  const parserError = error as BodyParserError;
  switch (parserError.type) {
    case "entity.parse.failed":
      return sendProblem(res, 400, "malformed-json", `the body is not valid JSON: ${parserError.message}`);
    case "entity.too.large":
      return sendProblem(res, 413, "body-too-large", `the body is larger than ${parserError.limit} bytes`);
    case "encoding.unsupported":
    case "charset.unsupported":
      return sendProblem(res, 415, "unsupported-media-type", parserError.message);
  }
  // A path that is not valid percent-encoding, a body that does not inflate: the client's fault.
  const clientStatus = clientErrorStatus(parserError);
  if (clientStatus !== null) return sendProblem(res, clientStatus, "bad-request", parserError.message);
  req.log.error({ err: error, ...requestFields(req) }, "request failed");
  const internal = internalProblem();
  sendProblem(res, internal.status, internal.slug, internal.message);
};
