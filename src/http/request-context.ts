import type { App } from "../domain/apps/app.js";

/** Who is calling, as established by the auth middleware. */
export type Principal = { kind: "admin" } | { kind: "server"; appId: string } | { kind: "client"; app: App };

declare module "express-serve-static-core" {
  interface Request {
    principal?: Principal;
    /** The exact bytes of a JSON body, for signature checks. */
    rawBody?: Buffer;
  }
}
