import type { RequestHandler, Router } from "express";
import { customerIdMaxLength } from "../domain/events/live-event.js";
import { HttpProblem, sendProblem } from "./problem.js";

type Method = "get" | "post" | "put" | "patch" | "delete";

const controlCharacter = /\p{Cc}/u;

/** No id holds a control character, whatever names it: a path, a query, a console address. */
export function holdsControlCharacter(text: string): boolean {
  return controlCharacter.test(text);
}

/** Why a path segment names nothing, or null. */
function segmentProblem(value: string): string | null {
  if (holdsControlCharacter(value)) return "must not contain control characters";
  if (value.length > customerIdMaxLength) return `must be at most ${customerIdMaxLength} characters`;
  return null;
}

/**
 * No id holds a control character or is longer than a customer's id may be (apps, events,
 * users, channels alike), so a path segment that decodes to one names nothing: 400 before any
 * handler looks it up, which PostgreSQL would refuse with an error for a NUL.
 */
const pathSegmentsThatCanNameSomething: RequestHandler = (req, _res, next) => {
  const errors = Object.entries(req.params).flatMap(([name, value]) => {
    const message = segmentProblem(String(value));
    return message ? [{ path: name, message }] : [];
  });
  if (errors.length > 0) {
    throw new HttpProblem(400, "validation", "a path segment cannot name anything", { errors });
  }
  next();
};

/**
 * Declares every method a path answers, and 405 with `Allow` for the others,
 * so a wrong method is told apart from a wrong path; refuses path segments no id can be.
 */
export function route(
  router: Router,
  path: string,
  handlers: Partial<Record<Method, RequestHandler[]>>,
): void {
  const chain = router.route(path);
  chain.all(pathSegmentsThatCanNameSomething);
  const allowed: string[] = [];
  for (const [method, stack] of Object.entries(handlers) as [Method, RequestHandler[]][]) {
    chain[method](...stack);
    allowed.push(method.toUpperCase());
  }
  if (allowed.includes("GET")) allowed.push("HEAD");
  chain.all((req, res) => {
    res.setHeader("Allow", allowed.join(", "));
    sendProblem(
      res,
      405,
      "method-not-allowed",
      `${req.method} is not allowed on ${req.path}; use ${allowed.join(", ")}`,
    );
  });
}
