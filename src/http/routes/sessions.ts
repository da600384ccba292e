import { type RequestHandler, Router } from "express";
import type { SessionService } from "../../domain/sessions/session-service.js";
import { type Authenticator, authenticationProblems, clientAppOf, sessionOf } from "../middleware/auth.js";
import { jsonBody } from "../middleware/body.js";
import { presentNewSession } from "../presenters/session.js";
import { route } from "../routing.js";
import { createSessionSchema } from "../schemas/sessions.js";

export interface SessionRoutesOptions {
  bodyLimitBytes: number;
  limits: {
    /** Every attempt, once the API key is known. */
    attempt: RequestHandler;
    /** A user whose auth token verified. */
    verifiedUser(appId: string, userId: string): Promise<void>;
  };
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
      options.limits.attempt,
      jsonBody(options.bodyLimitBytes),
      async (req, res) => {
        const body = createSessionSchema.parse(req.body);
        const app = clientAppOf(req);
        const signIn = {
          userId: body.user_id,
          authToken: body.auth_token,
          deviceId: body.device_id,
          locale: body.locale,
        };
        await sessions.authenticate(app, signIn);
        await options.limits.verifiedUser(app.id, signIn.userId);
        const { session, token } = await sessions.open(app, signIn);
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
