import { type RequestHandler, Router } from "express";
import type { SessionService } from "../../domain/sessions/session-service.js";
import { type Authenticator, authenticationProblems, clientAppOf, sessionOf } from "../middleware/auth.js";
import { jsonBody } from "../middleware/body.js";
import { presentNewSession } from "../presenters/session.js";
import { route } from "../routing.js";
import { createSessionSchema } from "../schemas/sessions.js";

export interface SessionRoutesOptions {
  bodyLimitBytes: number;
  creationLimit: RequestHandler;
}

/** Clients sign in with the app's API key and a JWT from the customer server (docs/api.md §4). */
export function sessionRoutes(
  sessions: SessionService,
  auth: Authenticator,
  options: SessionRoutesOptions,
): Router {
  const router = Router();

  route(router, "/v1/sessions", {
    post: [
      auth.requireApiKey,
      options.creationLimit,
      jsonBody(options.bodyLimitBytes),
      async (req, res) => {
        const body = createSessionSchema.parse(req.body);
        const { session, token } = await sessions.signIn(clientAppOf(req), {
          userId: body.user_id,
          authToken: body.auth_token,
          deviceId: body.device_id,
        });
        res.status(201).json(presentNewSession(session, token));
      },
    ],
  });

  route(router, "/v1/sessions/current", {
    delete: [
      auth.requireSession,
      async (req, res) => {
        await sessions.signOut(sessionOf(req));
        res.status(204).end();
      },
    ],
  });

  router.use(authenticationProblems);
  return router;
}
