import { Router } from "express";
import { sendProblem } from "../problem.js";
import { route } from "../routing.js";

export type ReadinessCheck = () => Promise<void>;

async function withinTimeout(check: ReadinessCheck, timeoutMs: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    clearTimeout(timer);
  }
}

/** `/healthz`: the process answers. `/readyz`: and so do its dependencies. */
export function healthRoutes(checks: Record<string, ReadinessCheck>): Router {
  const router = Router();
  route(router, "/healthz", { get: [(_req, res) => void res.json({ status: "ok" })] });
  route(router, "/readyz", {
    get: [
      async (_req, res) => {
        const names = Object.keys(checks);
        const failures = await Promise.all(
          names.map((name) => withinTimeout(checks[name] as ReadinessCheck, 1000)),
        );
        const report = Object.fromEntries(names.map((name, i) => [name, failures[i] ?? "ok"]));
        const ready = failures.every((failure) => failure === null);
        if (ready) {
          res.json({ status: "ready", checks: report });
        } else {
          sendProblem(
            res,
            503,
            "not-ready",
            `not ready: ${names.filter((_, i) => failures[i]).join(", ")} unreachable`,
            {
              checks: report,
            },
          );
        }
      },
    ],
  });
  return router;
}
