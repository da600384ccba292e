import { createAppSchema, updateAppSchema } from "../../schemas/apps.js";
import type { Operation } from "../operation.js";

const tag = "Apps";

/** SPEC §3: the operator's and the customer server's view of an app. */
export const appOperations: Operation[] = [
  {
    method: "post",
    path: "/v1/apps",
    tag,
    access: "admin",
    summary: "Create an app",
    body: { name: "CreateApp", schema: createAppSchema },
    responses: {
      201: "The app, with its api_key, server_key, event_secret and webhook_secret (shown only here)",
    },
  },
  {
    method: "get",
    path: "/v1/apps",
    tag,
    access: "admin",
    summary: "List apps",
    responses: { 200: "`{apps}`" },
  },
  {
    method: "get",
    path: "/v1/apps/{app_id}",
    tag,
    access: "app",
    summary: "Read an app",
    responses: { 200: "The app, without secrets or key material" },
  },
  {
    method: "patch",
    path: "/v1/apps/{app_id}",
    tag,
    access: "app",
    summary: "Change an app",
    description: '`"fcm": null` or `"apns": null` removes a provider.',
    body: { name: "UpdateApp", schema: updateAppSchema, required: false },
    responses: { 200: "The changed app" },
  },
  {
    method: "delete",
    path: "/v1/apps/{app_id}",
    tag,
    access: "admin",
    summary: "Remove an app and everything it owns",
    responses: { 204: "Removed" },
  },
  {
    method: "post",
    path: "/v1/apps/{app_id}/secrets/{kind}/rotate",
    tag,
    access: "app",
    summary: "Rotate a secret",
    description: "The previous secret keeps working until `previous_valid_until`.",
    responses: { 200: "`{secret, previous_valid_until}`" },
  },
];
