import type { RequestListener } from "node:http";
import type { Logger } from "../observability/logger.js";
import type { GatewayMetrics } from "../observability/metrics.js";
import { startRequestLog } from "./middleware/request-log.js";
import { setSecurityHeaders } from "./middleware/security-headers.js";
import { HttpProblem, internalProblem, writeProblem } from "./problem.js";

const allowed = "GET, HEAD";

/**
 * The `METRICS_PORT` listener: `/metrics` and nothing else, without the framework. A worker
 * serves no other HTTP, and express was the largest set of modules it loaded for this one route.
 * Answers as the api's routes do: request id, log line, security headers, problem+json.
 */
export function metricsListener(metrics: GatewayMetrics, logger: Logger): RequestListener {
  return (req, res) => {
    startRequestLog(logger, req, res);
    setSecurityHeaders(res);
    const path = (req.url ?? "").split("?", 1)[0];
    if (path !== "/metrics")
      return writeProblem(res, new HttpProblem(404, "not-found", `no route for ${req.method} ${path}`));
    if (req.method !== "GET" && req.method !== "HEAD")
      return writeProblem(
        res,
        new HttpProblem(
          405,
          "method-not-allowed",
          `${req.method} is not allowed on /metrics; use ${allowed}`,
          {},
          { Allow: allowed },
        ),
      );
    metrics.scrape().then(
      (exposition) => {
        res.writeHead(200, {
          "Content-Type": metrics.contentType,
          "Content-Length": Buffer.byteLength(exposition),
        });
        res.end(req.method === "HEAD" ? undefined : exposition);
      },
      (error: unknown) => {
        logger.error({ err: error }, "the metrics could not be read");
        writeProblem(res, internalProblem());
      },
    );
  };
}
