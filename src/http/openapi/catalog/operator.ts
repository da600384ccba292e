import { healthResponseSchema, readinessResponseSchema } from "../../schemas/health.js";
import { notReadyProblemSchema } from "../../schemas/problem.js";
import type { Operation } from "../operation.js";

const tag = "Operations";

/** What an operator and their monitoring call (docs/api.md, "Operating"). */
export const operatorOperations: Operation[] = [
  {
    method: "get",
    path: "/healthz",
    tag,
    access: "public",
    summary: "Whether the process answers",
    responses: { 200: { description: "Alive", body: { name: "Health", schema: healthResponseSchema } } },
  },
  {
    method: "get",
    path: "/readyz",
    tag,
    access: "public",
    summary: "Whether Redis and the database answer",
    description: "Each check has one second to answer.",
    responses: {
      200: { description: "Ready", body: { name: "Readiness", schema: readinessResponseSchema } },
      503: {
        description: "Not ready; `checks` says what failed",
        body: { name: "NotReadyProblem", schema: notReadyProblemSchema },
      },
    },
  },
  {
    method: "get",
    path: "/metrics",
    tag,
    access: "public",
    summary: "Prometheus metrics of this process",
    produces: "text/plain",
    responses: { 200: { description: "The Prometheus text exposition" } },
  },
  {
    method: "get",
    path: "/openapi.json",
    tag,
    access: "public",
    summary: "This API reference, as OpenAPI 3.1",
    description: "The same document as `openapi.json` in the repository.",
    responses: { 200: { description: "The OpenAPI document" } },
  },
  {
    method: "get",
    path: "/docs",
    tag,
    access: "public",
    summary: "This API reference, rendered",
    produces: "text/html",
    responses: { 200: { description: "Swagger UI" } },
  },
  {
    method: "get",
    path: "/admin/queues",
    tag,
    access: "adminBrowser",
    summary: "The queue dashboard",
    description:
      "Open `/admin/queues?token=<admin token>` once: the token is exchanged for an HttpOnly cookie " +
      "(Path=/admin, 12 h) and the browser is sent on without it. `Authorization: Bearer` works too.",
    produces: "text/html",
    responses: {
      200: { description: "The dashboard (bull-board)" },
      303: {
        description: "The token was exchanged for the cookie",
        headers: { Location: "The same page without `token`", "Set-Cookie": "The dashboard's cookie" },
      },
    },
  },
  {
    method: "post",
    path: "/admin/sign-out",
    tag,
    access: "adminBrowser",
    summary: "End the dashboard's cookie",
    description:
      "Revokes the admin cookie the browser holds, so a copy of it stops working too, and clears it. " +
      "The console's sign-out passes through here.",
    produces: "text/html",
    responses: {
      303: {
        description: "Signed out",
        headers: { Location: "The console's sign-in page", "Set-Cookie": "Cleared" },
      },
    },
  },
];
