import { type Response, Router } from "express";
import type { App } from "../../domain/apps/app.js";
import type { AppService } from "../../domain/apps/app-service.js";
import type { BadgeCounter } from "../../domain/badges/badge-counter.js";
import type { EventRecord } from "../../domain/events/event-record.js";
import { HttpProblem } from "../../http/problem.js";
import type { TestNotifications } from "../../pipeline/test-notification.js";
import type { Store } from "../../storage/store.js";
import { consoleLocals, formOf, requireAppVisible } from "../console-auth.js";
import { type UserLookup, type UserQuery, usersPage } from "../views/users.js";

/** Where the user page reads a user's unread count. */
export type BadgeReader = Pick<BadgeCounter, "get">;

/** The store has no per-user event index: the latest events are found among this many. */
const eventsScanned = 500;
/** The channels set apart a user page lists, by channel id; a user with more is read through the API. */
const channelsShown = 200;
const eventsShown = 20;

function concerns(record: EventRecord, userId: string): boolean {
  const event = record.payload;
  return (
    event.actor?.id === userId ||
    (event.recipient_ids ?? []).includes(userId) ||
    (event.channel?.member_ids ?? []).includes(userId)
  );
}

export function userRoutes(
  apps: AppService,
  store: Store,
  badges: BadgeReader,
  tests: TestNotifications,
): Router {
  const router = Router();

  async function visibleApps(res: Response): Promise<App[]> {
    const scope = consoleLocals(res).session.scope;
    return scope?.kind === "app" ? [await apps.get(scope.appId)] : apps.list();
  }

  async function lookUp(res: Response, query: UserQuery): Promise<UserLookup> {
    requireAppVisible(res, query.appId);
    const app = await apps.get(query.appId);
    const at = new Date();
    const [tokens, settings, channels, channelAsked, recent, badge] = await Promise.all([
      store.tokens.tokensOf(app.id, [query.userId]),
      store.notificationSettings.userSettings(app.id, query.userId),
      store.notificationSettings.channelsApartFromDefault(app.id, query.userId, at, {
        limit: channelsShown,
      }),
      query.channelId
        ? store.notificationSettings.channelSettings(app.id, query.userId, query.channelId)
        : Promise.resolve(null),
      store.events.list(app.id, { limit: eventsScanned }),
      app.badge === "count" ? badges.get(app.id, query.userId) : Promise.resolve(null),
    ]);
    return {
      app,
      userId: query.userId,
      channelId: query.channelId,
      tokens,
      badge,
      at,
      settings,
      channels,
      channelAsked,
      events: recent.filter((record) => concerns(record, query.userId)).slice(0, eventsShown),
      eventsScanned: recent.length,
    };
  }

  router.get("/users", async (req, res) => {
    const visible = await visibleApps(res);
    const asked = typeof req.query.app === "string" ? req.query.app : (visible[0]?.id ?? "");
    const query = {
      appId: asked,
      userId: typeof req.query.user === "string" ? req.query.user.trim() : "",
      channelId: typeof req.query.channel === "string" ? req.query.channel.trim() : "",
    };
    const lookup = query.appId && query.userId ? await lookUp(res, query) : null;
    res.send(usersPage(consoleLocals(res), visible, query, lookup).text);
  });

  /** Sends the test, then shows the user's page (devices as they are after it) with the answers. */
  router.post("/users/test-notification", async (_req, res) => {
    const form = formOf(res);
    const query = { appId: form.text("app"), userId: form.text("user"), channelId: form.text("channel") };
    if (!query.appId || !query.userId)
      throw new HttpProblem(400, "invalid-request", "a test notification needs an app and a user id");
    requireAppVisible(res, query.appId);
    const test = await tests.send(await apps.get(query.appId), query.userId, {});
    const lookup = await lookUp(res, query);
    res.send(usersPage(consoleLocals(res), await visibleApps(res), query, lookup, test).text);
  });

  return router;
}
