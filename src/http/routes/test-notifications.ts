import { Router } from "express";
import type { AppService } from "../../domain/apps/app-service.js";
import type { TestNotifications } from "../../pipeline/test-notification.js";
import type { Authenticator } from "../middleware/auth.js";
import { jsonBody } from "../middleware/body.js";
import { presentTestNotification } from "../presenters/test-notification.js";
import { route } from "../routing.js";
import { testNotificationSchema } from "../schemas/test-notifications.js";
import { userRoutePrefixes } from "./user-subjects.js";

export interface TestNotificationRoutesOptions {
  bodyLimitBytes: number;
  /** Spends one of the user's test notifications, or throws the 429. */
  limit: (appId: string, userId: string) => Promise<void>;
}

/**
 * A test notification to every device of a user, answered with each provider's outcome
 * (docs/api.md, Test notifications): for the signed-in user and for the customer server.
 */
export function testNotificationRoutes(
  tests: TestNotifications,
  apps: AppService,
  auth: Authenticator,
  options: TestNotificationRoutesOptions,
): Router {
  const router = Router();
  const json = jsonBody(options.bodyLimitBytes);

  for (const { prefix, authorize, subjectOf } of userRoutePrefixes(apps, auth)) {
    route(router, `${prefix}/test-notification`, {
      post: [
        authorize,
        json,
        async (req, res) => {
          const { appId, userId } = await subjectOf(req);
          const body = testNotificationSchema.parse(req.body ?? {});
          await options.limit(appId, userId);
          const result = await tests.send(await apps.get(appId), userId, {
            title: body.title,
            body: body.body,
            dryRun: body.dry_run,
          });
          res.json(presentTestNotification(result));
        },
      ],
    });
  }
  return router;
}
