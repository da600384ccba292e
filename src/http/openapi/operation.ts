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
  body?: { name: string; schema: z.ZodType; required?: boolean };
  /** The schema the route validates its query string with. */
  query?: z.ZodObject;
  /** Status code → what the answer means; `default` (problem+json) is added for every operation. */
  responses: Record<number, string>;
  /** Media type of the successful answers (application/json unless said). */
  produces?: string;
}
