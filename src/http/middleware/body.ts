import express, { type RequestHandler } from "express";
import { jsonProblem, maxJsonDepth } from "../../domain/json/json-bounds.js";
import { HttpProblem } from "../problem.js";

const unstorableTextMessage = "must not contain NUL (U+0000) or an unpaired surrogate";

/**
 * Parses JSON bodies, keeps their exact bytes for signature checks, refuses absurd nesting and
 * strings no database stores (NUL, unpaired surrogates).
 */
export function jsonBody(limitBytes: number): RequestHandler {
  const parse = express.json({
    limit: limitBytes,
    type: () => true,
    verify: (req, _res, buffer) => {
      (req as express.Request).rawBody = buffer;
    },
  });
  return (req, res, next) =>
    parse(req, res, (error?: unknown) => {
      if (error) return next(error);
      const problem = jsonProblem(req.body, { checkText: true });
      if (problem?.kind === "too-deep") {
        return next(
          new HttpProblem(
            400,
            "too-deep",
            `the body nests arrays and objects deeper than ${maxJsonDepth} levels`,
          ),
        );
      }
      if (problem?.kind === "unstorable-text") {
        return next(
          new HttpProblem(400, "validation", "a string in the body holds a NUL or an unpaired surrogate", {
            errors: [{ path: problem.path, message: unstorableTextMessage }],
          }),
        );
      }
      next();
    });
}

function hasBody(req: express.Request): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/** 415 for a body that is not `application/json`; a request without a body passes. */
export const requireJsonContentType: RequestHandler = (req, _res, next) => {
  if (hasBody(req) && !req.is("application/json")) {
    throw new HttpProblem(
      415,
      "unsupported-media-type",
      `send the body as application/json (got ${req.headers["content-type"] ?? "no content-type"})`,
    );
  }
  next();
};
