import { type Request, type Response, Router } from "express";
import type { App } from "../../domain/apps/app.js";
import type { AppService } from "../../domain/apps/app-service.js";
import type { RecipientToken } from "../../domain/audience/audience.js";
import type { BadgeCounter } from "../../domain/badges/badge-counter.js";
import { tokenTail } from "../../domain/devices/device.js";
import type { EventRecord } from "../../domain/events/event-record.js";
import { HttpProblem } from "../../http/problem.js";
import type { TestNotificationResult, TestNotifications } from "../../pipeline/test-notification.js";
import type { Store } from "../../storage/store.js";
import { consoleBase, consoleLocals, formOf, requireAppVisible } from "../console-auth.js";
import type { Flash, FlashCookies } from "../flash.js";
import { removeDeviceConfirmPage, type UserLookup, type UserQuery, usersPage } from "../views/users.js";

/** Where the user page reads a user's unread count. */
export type BadgeReader = Pick<BadgeCounter, "get">;

/** The store has no per-user event index: the latest events are found among this many. */
const eventsScanned = 500;
/** The channels set apart a user page lists, by channel id; a user with more is read through the API. */
const channelsShown = 200;
const eventsShown = 20;
/** The test's answers travel in a cookie to the page after it: a user with more devices is told how many are left out. */
const testAnswersCarried = 12;

function concerns(record: EventRecord, userId: string): boolean {
  const event = record.payload;
  return (
    event.actor?.id === userId ||
    (event.recipient_ids ?? []).includes(userId) ||
    (event.channel?.member_ids ?? []).includes(userId)
  );
}

function userPath(query: Pick<UserQuery, "appId" | "userId"> & { channelId?: string }): string {
  const params = new URLSearchParams({ app: query.appId, user: query.userId });
  if (query.channelId) params.set("channel", query.channelId);
  return `${consoleBase}/users?${params}`;
}

function testFlash(test: TestNotificationResult): Flash {
  const carried = test.devices.slice(0, testAnswersCarried);
  return {
    notice: test.devices.length
      ? `The test notification went to ${test.devices.length} device${test.devices.length === 1 ? "" : "s"}; their answers are below.`
      : "The user has no devices: no test notification was sent.",
    test: {
      wouldSuppress: test.wouldSuppress,
      devices: carried.map((device) => ({
        deviceId: device.deviceId,
        provider: device.provider,
        tokenTail: tokenTail(device.token),
        outcome: device.outcome,
        providerStatus: device.providerStatus,
        providerError: device.providerError,
      })),
      devicesLeftOut: test.devices.length - carried.length,
    },
  };
}

/** A device of the user's, by the id the page lists it with: its tokens, or 404. */
function deviceTokens(tokens: RecipientToken[], deviceId: string): RecipientToken[] {
  const own = tokens.filter((token) => token.deviceId === deviceId);
  if (own.length === 0) throw new HttpProblem(404, "not-found", "The user has no such device (any more).");
  return own;
}

export function userRoutes(
  apps: AppService,
  store: Store,
  badges: BadgeReader,
  tests: TestNotifications,
  flash: FlashCookies,
  /** The API's budget of test notifications per app and user, spent here too (429 when gone). */
  testLimit: (appId: string, userId: string) => Promise<void>,
): Router {
  const router = Router();

  async function visibleApps(res: Response): Promise<App[]> {
    const scope = consoleLocals(res).session.scope;
    return scope?.kind === "app" ? [await apps.get(scope.appId)] : apps.list();
  }

  async function visibleApp(res: Response, appId: string): Promise<App> {
    requireAppVisible(res, appId);
    return apps.get(appId);
  }

  async function lookUp(res: Response, query: UserQuery): Promise<UserLookup> {
    const app = await visibleApp(res, query.appId);
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

  /** The app and user a form or a link names; an app the session may not see is not found. */
  function queryOf(source: (name: string) => string): UserQuery {
    return { appId: source("app"), userId: source("user"), channelId: source("channel") };
  }

  const fromUrl = (req: Request) => (name: string) => {
    const value = req.query[name];
    return typeof value === "string" ? value.trim() : "";
  };

  router.get("/users", async (req, res) => {
    const visible = await visibleApps(res);
    const asked = queryOf(fromUrl(req));
    // An app named in the address must exist and be the session's: never another one in its place.
    if (asked.appId) await visibleApp(res, asked.appId);
    const query = { ...asked, appId: asked.appId || (visible[0]?.id ?? "") };
    const lookup = query.appId && query.userId ? await lookUp(res, query) : null;
    res.send(usersPage(consoleLocals(res), visible, query, lookup).text);
  });

  /** Sends the test, then redirects to the user's page (devices as they are after it), which shows the answers. */
  router.post("/users/test-notification", async (req, res) => {
    const query = queryOf(formOf(res).text);
    if (!query.appId || !query.userId)
      throw new HttpProblem(400, "invalid-request", "A test notification needs an app and a user id.");
    const app = await visibleApp(res, query.appId);
    await testLimit(app.id, query.userId);
    const test = await tests.send(app, query.userId, {});
    flash.redirect(req, res, userPath(query), testFlash(test));
  });

  router.get("/users/devices/remove", async (req, res) => {
    const query = queryOf(fromUrl(req));
    const app = await visibleApp(res, query.appId);
    const tokens = deviceTokens(await store.tokens.tokensOf(app.id, [query.userId]), fromUrl(req)("device"));
    res.send(removeDeviceConfirmPage(consoleLocals(res), app, query.userId, tokens).text);
  });

  /** The device goes if it is the user's; if it is only synced to the user, the user's binding to it goes. */
  router.post("/users/devices/remove", async (req, res) => {
    const form = formOf(res);
    const query = queryOf(form.text);
    const app = await visibleApp(res, query.appId);
    const [first] = deviceTokens(await store.tokens.tokensOf(app.id, [query.userId]), form.text("device"));
    const device = first as RecipientToken;
    const target = device.clientDeviceId
      ? { deviceId: device.clientDeviceId }
      : { token: device.token, provider: device.provider };
    await store.devices.unregister(app.id, target, query.userId);
    flash.redirect(req, res, userPath(query), {
      notice: `The device ${device.clientDeviceId ?? tokenTail(device.token)} is removed from ${query.userId}.`,
    });
  });

  return router;
}
