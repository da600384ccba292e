import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Router } from "express";
import { consoleCss } from "../assets/console-css.js";
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
  return router;
}
