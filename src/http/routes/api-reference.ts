import { createRequire } from "node:module";
import path from "node:path";
import express, { Router } from "express";
import { outboundWebhooks } from "../openapi/catalog/webhooks.js";
import { openApiDocument } from "../openapi/document.js";
import type { Operation } from "../openapi/operation.js";
import { route } from "../routing.js";

const swaggerUiDir = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

const docsPage = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Pushgate API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/init.js"></script>
</body>
</html>
`;

/** A file, not an inline script: helmet's Content-Security-Policy allows scripts from 'self' only. */
const initScript = `SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true, validatorUrl: null });\n`;

/**
 * `/openapi.json` and `/docs`: the API reference (the document `npm run openapi` writes to
 * `openapi.json`), rendered by Swagger UI served from node_modules, so it works without
 * reaching any CDN.
 */
export function apiReferenceRoutes(operations: Operation[], version: string): Router {
  const document = openApiDocument(operations, outboundWebhooks, version);
  const router = Router();
  route(router, "/openapi.json", { get: [(_req, res) => void res.json(document)] });
  route(router, "/docs", { get: [(_req, res) => void res.type("html").send(docsPage)] });
  // Static files of the page, not operations of the API: mounted, not routed.
  router.use(
    "/docs/assets",
    (req, res, next) => (req.path === "/init.js" ? void res.type("js").send(initScript) : next()),
    express.static(swaggerUiDir, { index: false }),
  );
  return router;
}
