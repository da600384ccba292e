import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Router } from "express";
import { consoleCss } from "../assets/console-css.js";
import { copyJs } from "../assets/copy-js.js";
import { faviconSvg } from "../assets/favicon-svg.js";
import { templateEditorJs } from "../assets/template-editor-js.js";

/** htmx from the installed package: nothing is fetched from a CDN. */
const htmxSource = readFileSync(createRequire(import.meta.url).resolve("htmx.org/dist/htmx.min.js"), "utf8");

export function assetRoutes(): Router {
  const router = Router();
  router.get("/assets/console.css", (_req, res) => {
    res.type("text/css").setHeader("Cache-Control", "public, max-age=3600").send(consoleCss);
  });
  router.get("/assets/htmx.min.js", (_req, res) => {
    res.type("text/javascript").setHeader("Cache-Control", "public, max-age=3600").send(htmxSource);
  });
  router.get("/assets/template-editor.js", (_req, res) => {
    res.type("text/javascript").setHeader("Cache-Control", "public, max-age=3600").send(templateEditorJs);
  });
  router.get("/assets/copy.js", (_req, res) => {
    res.type("text/javascript").setHeader("Cache-Control", "public, max-age=3600").send(copyJs);
  });
  router.get("/assets/favicon.svg", (_req, res) => {
    res.type("image/svg+xml").setHeader("Cache-Control", "public, max-age=86400").send(faviconSvg);
  });
  return router;
}
