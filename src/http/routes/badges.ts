import { Router } from "express";
import type { AppService } from "../../domain/apps/app-service.js";
import type { BadgeCounter } from "../../domain/badges/badge-counter.js";
import type { Authenticator } from "../middleware/auth.js";
import { jsonBody } from "../middleware/body.js";
import { route } from "../routing.js";
import { type BadgeResponse, setBadgeSchema } from "../schemas/badges.js";
import { userRoutePrefixes } from "./user-subjects.js";

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

  for (const { prefix, authorize, subjectOf } of userRoutePrefixes(apps, auth)) {
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
