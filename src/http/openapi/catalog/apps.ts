import {
  appListResponseSchema,
  appResponseSchema,
  createAppSchema,
  createdAppResponseSchema,
  rotatedSecretResponseSchema,
  updateAppSchema,
} from "../../schemas/apps.js";
import type { NamedSchema, Operation } from "../operation.js";

const tag = "Apps";
const app: NamedSchema = { name: "App", schema: appResponseSchema };

/** The operator's and the customer server's view of an app (docs/api.md, "Apps"). */
export const appOperations: Operation[] = [
  {
    method: "post",
    path: "/v1/apps",
    tag,
    access: "admin",
    summary: "Create an app",
    description:
      "A webhook URL on a loopback or private network is refused unless `ALLOW_PRIVATE_WEBHOOK_TARGETS`.",
    body: { name: "CreateApp", schema: createAppSchema },
    responses: {
      201: {
        description: "The app, with its server_key, event_secret and webhook_secret (shown only here)",
        body: { name: "CreatedApp", schema: createdAppResponseSchema },
        headers: { Location: "`/v1/apps/{app_id}`" },
      },
    },
  },
  {
    method: "get",
    path: "/v1/apps",
    tag,
    access: "admin",
    summary: "List apps",
    responses: {
      200: { description: "Every app", body: { name: "AppList", schema: appListResponseSchema } },
    },
  },
  {
    method: "get",
    path: "/v1/apps/{app_id}",
    tag,
    access: "app",
    summary: "Read an app",
    responses: { 200: { description: "The app, without secrets or key material", body: app } },
  },
  {
    method: "patch",
    path: "/v1/apps/{app_id}",
    tag,
    access: "app",
    summary: "Change an app",
    description:
      "Changes only the fields the body names; of `webhook`, only the settings it names (a new webhook needs " +
      '`url`). `"fcm": null`, `"apns": null` or `"webhook": null` removes that block.',
    body: { name: "UpdateApp", schema: updateAppSchema, required: false },
    responses: { 200: { description: "The changed app", body: app } },
  },
  {
    method: "delete",
    path: "/v1/apps/{app_id}",
    tag,
    access: "admin",
    summary: "Remove an app and everything it owns",
    responses: { 204: { description: "Removed" } },
  },
  {
    method: "post",
    path: "/v1/apps/{app_id}/secrets/{kind}/rotate",
    tag,
    access: "app",
    summary: "Rotate a secret",
    description:
      "The previous secret keeps working until `previous_valid_until` (`SECRET_ROTATION_OVERLAP_SECONDS`): " +
      "inbound signatures and auth tokens verify against both, deliveries carry both signatures.",
    responses: {
      200: {
        description: "The new secret",
        body: { name: "RotatedSecret", schema: rotatedSecretResponseSchema },
      },
      404: {
        description:
          "No such app, the server key is another app's, or `kind` is not server-key, event-secret or webhook-secret",
      },
    },
  },
];
