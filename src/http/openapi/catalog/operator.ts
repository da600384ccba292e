import type { Operation } from "../operation.js";

const tag = "Operations";

/** SPEC §9: what an operator and their monitoring call. */
export const operatorOperations: Operation[] = [
  {
    method: "get",
    path: "/healthz",
    tag,
    access: "public",
    summary: "Whether the process answers",
    responses: { 200: "`{status: ok}`" },
  },
  {
    method: "get",
    path: "/readyz",
    tag,
    access: "public",
    summary: "Whether Redis and the database answer",
    responses: { 200: "`{status: ready, checks}`", 503: "Not ready; `checks` names what failed" },
  },
  {
    method: "get",
    path: "/metrics",
    tag,
    access: "public",
    summary: "Prometheus metrics of this process",
    produces: "text/plain",
    responses: { 200: "The Prometheus text exposition" },
  },
  {
    method: "get",
    path: "/openapi.json",
    tag,
    access: "public",
    summary: "This API reference, as OpenAPI 3.1",
    responses: { 200: "The OpenAPI document" },
  },
  {
    method: "get",
    path: "/docs",
    tag,
    access: "public",
    summary: "This API reference, rendered",
    produces: "text/html",
    responses: { 200: "Swagger UI" },
  },
  {
    method: "get",
    path: "/admin/queues",
    tag,
    access: "adminBrowser",
    summary: "The queue dashboard",
    description:
      "Open `/admin/queues?token=<admin token>` once: the token is exchanged for an HttpOnly cookie " +
      "(Path=/admin) and the browser is sent on without it. `Authorization: Bearer` works too.",
    produces: "text/html",
    responses: { 200: "The dashboard (bull-board)", 303: "The token was exchanged for the cookie" },
  },
];
