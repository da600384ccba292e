import type { RequestHandler, Router } from "express";
import { sendProblem } from "./problem.js";

type Method = "get" | "post" | "put" | "patch" | "delete";

/**
 * Declares every method a path answers, and 405 with `Allow` for the others,
 * so a wrong method is told apart from a wrong path.
 */
export function route(
  router: Router,
  path: string,
  handlers: Partial<Record<Method, RequestHandler[]>>,
): void {
  const chain = router.route(path);
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
