import type { z } from "zod";

/** Who may call an operation; each maps to security schemes in `security.ts`. */
export type Access =
  | "public"
  | "admin"
  /** The admin token, or the server key of the app in the path. */
  | "app"
  | "apiKey"
  | "session"
  /** A Standard Webhooks signature by one of the app's event secrets. */
  | "signedEvent"
  /** The admin token as a bearer header or as the dashboard's cookie. */
  | "adminBrowser";

/** A zod schema under the name the document gives it in `components.schemas`. */
export interface NamedSchema {
  name: string;
  schema: z.ZodType;
}

/** One answer of an operation. */
export interface OperationResponse {
  description: string;
  /**
   * The schema of the JSON body: the one its presenter is typed against. Error answers
   * without one are problem+json.
   */
  body?: NamedSchema;
  /** Header name → what it says. */
  headers?: Record<string, string>;
}

/** One route and method of the gateway, as the API reference describes it. */
export interface Operation {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** OpenAPI form: `{app_id}` where express has `:app_id`. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  /** The schema the route validates its JSON body with. */
  body?: NamedSchema & { required?: boolean };
  /** The schema the route validates its query string with. */
  query?: z.ZodObject;
  /**
   * Status code → answer. The problems every operation of its kind can answer (401, 404 of
   * an unknown app, 400/413/415 of a body) are added by the document unless listed here.
   */
  responses: Record<number, OperationResponse>;
  /** Media type of the successful answers without a body schema (application/json unless said). */
  produces?: string;
}

/**
 * What the gateway POSTs to a customer's server (OpenAPI `webhooks`): the request it
 * makes, and what it does with each answer.
 */
export interface OutboundWebhook {
  /** The key under `webhooks`. */
  name: string;
  summary: string;
  description: string;
  tag: string;
  /** Header name → what it carries. */
  headers: Record<string, string>;
  body: NamedSchema;
  /** Status code or range (`2XX`, `default`) → what the gateway does with such an answer. */
  responses: Record<string, OperationResponse>;
}
