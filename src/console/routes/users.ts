import { Router } from "express";
import type { AppService } from "../../domain/apps/app-service.js";
import type { BadgeCounter } from "../../domain/badges/badge-counter.js";
import type { EventRecord } from "../../domain/events/event-record.js";
import type { Store } from "../../storage/store.js";
import { consoleLocals, requireAppVisible } from "../console-auth.js";
import { type UserLookup, usersPage } from "../views/users.js";

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

export function userRoutes(apps: AppService, store: Store, badges: BadgeReader): Router {
  const router = Router();

  router.get("/users", async (req, res) => {
    const scope = consoleLocals(res).session.scope;
    const visible = scope?.kind === "app" ? [await apps.get(scope.appId)] : await apps.list();
    const asked = typeof req.query.app === "string" ? req.query.app : (visible[0]?.id ?? "");
    const query = {
      appId: asked,
      userId: typeof req.query.user === "string" ? req.query.user.trim() : "",
      channelId: typeof req.query.channel === "string" ? req.query.channel.trim() : "",
    };
    let lookup: UserLookup | null = null;
    if (query.appId && query.userId) {
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
      lookup = {
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
    res.send(usersPage(consoleLocals(res), visible, query, lookup).text);
  });

  return router;
}
