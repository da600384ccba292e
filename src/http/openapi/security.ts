import { adminCookieName } from "../middleware/admin-browser-auth.js";
import type { Access } from "./operation.js";

/** OpenAPI security schemes: who can present what. */
export const securitySchemes = {
  adminToken: {
    type: "http",
    scheme: "bearer",
    description: "The operator's admin token (`PUSHGATE_ADMIN_TOKEN`, else `DATA_DIR/admin-token`)",
  },
  serverKey: {
    type: "http",
    scheme: "bearer",
    description: "An app's server key (`sk_…`), for the customer's server; it opens its own app only",
  },
  apiKey: {
    type: "apiKey",
    in: "header",
    name: "X-Api-Key",
    description: "An app's public API key (`pk_…`), for mobile and web clients",
  },
  sessionToken: {
    type: "http",
    scheme: "bearer",
    description: "A session token (`sess_…`) from `POST /v1/sessions`",
  },
  webhookId: {
    type: "apiKey",
    in: "header",
    name: "webhook-id",
    description: "Standard Webhooks: the message id",
  },
  webhookTimestamp: {
    type: "apiKey",
    in: "header",
    name: "webhook-timestamp",
    description: "Standard Webhooks: Unix seconds, within `EVENT_TIMESTAMP_TOLERANCE_SECONDS` of now",
  },
  webhookSignature: {
    type: "apiKey",
    in: "header",
    name: "webhook-signature",
    description:
      "Standard Webhooks: `v1,<base64 HMAC-SHA256 of id.timestamp.body>` keyed with the app's event secret",
  },
  adminCookie: {
    type: "apiKey",
    in: "cookie",
    name: adminCookieName,
    description: "Set by opening `/admin/queues?token=<admin token>`",
  },
} as const;

type SchemeName = keyof typeof securitySchemes;

/** Alternatives; the schemes within one requirement are presented together. */
export const securityOf: Record<Access, Partial<Record<SchemeName, []>>[]> = {
  public: [],
  admin: [{ adminToken: [] }],
  app: [{ adminToken: [] }, { serverKey: [] }],
  apiKey: [{ apiKey: [] }],
  session: [{ sessionToken: [] }],
  signedEvent: [{ webhookId: [], webhookTimestamp: [], webhookSignature: [] }],
  adminBrowser: [{ adminToken: [] }, { adminCookie: [] }],
};
