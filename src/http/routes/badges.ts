import { type Request, type RequestHandler, Router } from "express";
import { z } from "zod";
import type { AppService } from "../../domain/apps/app-service.js";
import type { BadgeCounter } from "../../domain/badges/badge-counter.js";
import { type Authenticator, sessionOf } from "../middleware/auth.js";
import { jsonBody } from "../middleware/body.js";
import { route } from "../routing.js";
import { type BadgeResponse, setBadgeSchema } from "../schemas/badges.js";
import { userIdSchema } from "../schemas/identifiers.js";

/** Whose count a request reads or sets. */
type Subject = (req: Request) => Promise<{ appId: string; userId: string }>;

const userParams = z.object({ user_id: userIdSchema });

export interface BadgeRoutesOptions {
  bodyLimitBytes: number;
}

/**
 * A user's unread count (docs/api.md, Badges), for the signed-in client (`/v1/users/@me/badge`,
 * reset when the user has read everything) and for the customer server
 * (`/v1/apps/{app_id}/users/{user_id}/badge`).
 */
export function badgeRoutes(
  badges: BadgeCounter,
  apps: AppService,
  auth: Authenticator,
  options: BadgeRoutesOptions,
): Router {
  const router = Router();
  const json = jsonBody(options.bodyLimitBytes);

  const signedInUser: Subject = async (req) => {
    const session = sessionOf(req);
    return { appId: session.appId, userId: session.userId };
  };
  const namedUser: Subject = async (req) => {
    const { user_id: userId } = userParams.parse(req.params);
    const app = await apps.get(req.params.app_id as string);
    return { appId: app.id, userId };
  };

  const subjects: [string, RequestHandler, Subject][] = [
    ["/v1/users/@me", auth.requireSession, signedInUser],
    ["/v1/apps/:app_id/users/:user_id", auth.requireAppAccess, namedUser],
  ];
  for (const [prefix, authorize, subjectOf] of subjects) {
    route(router, `${prefix}/badge`, {
      get: [
        authorize,
        async (req, res) => {
          const { appId, userId } = await subjectOf(req);
          const answer: BadgeResponse = { count: await badges.get(appId, userId) };
          res.json(answer);
        },
      ],
      put: [
        authorize,
        json,
        async (req, res) => {
          const { appId, userId } = await subjectOf(req);
          const { count } = setBadgeSchema.parse(req.body);
          await badges.set(appId, userId, count);
          const answer: BadgeResponse = { count };
          res.json(answer);
        },
      ],
    });
  }
  return router;
}
