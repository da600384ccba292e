import type { App } from "../domain/apps/app.js";
import type { Session } from "../domain/sessions/session.js";
import type { Logger } from "../observability/logger.js";

/** Who is calling, as established by the auth middleware. */
export type Principal =
  | { kind: "admin" }
  | { kind: "server"; appId: string }
  | { kind: "client"; app: App }
  | { kind: "session"; session: Session };

declare module "express-serve-static-core" {
  interface Request {
    /** The request's id, also its answer's `X-Request-Id` (middleware/request-log.ts). */
    id: string;
    /** The gateway's logger; a line about the request adds `requestFields(req)`. */
    log: Logger;
    principal?: Principal;
    /** The exact bytes of a JSON body, for signature checks. */
    rawBody?: Buffer;
    /** The app whose events a request posts, known before its body is read. */
    eventSourceApp?: App;
  }
}
