import { type RequestHandler, Router } from "express";
import { z } from "zod";
import type { AppService } from "../../domain/apps/app-service.js";
import type { ChannelLevel } from "../../domain/notification-settings/notification-settings.js";
import type { NotificationSettingsRepository } from "../../domain/notification-settings/notification-settings-repository.js";
import { decodeCursor, encodeCursor } from "../cursor.js";
import type { Authenticator } from "../middleware/auth.js";
import { jsonBody } from "../middleware/body.js";
import {
  presentChannelSettings,
  presentChannelSettingsList,
  presentUserSettings,
} from "../presenters/notification-settings.js";
import { route } from "../routing.js";
import { channelIdSchema } from "../schemas/identifiers.js";
import {
  changeChannelSettingsSchema,
  changeUserSettingsSchema,
  channelSettingsListQuery,
} from "../schemas/notification-settings.js";
import { userRoutePrefixes } from "./user-subjects.js";

/** The level a v1 `enabled` stands for. */
function levelOfSwitch(enabled: boolean | undefined): ChannelLevel | undefined {
  if (enabled === undefined) return undefined;
  return enabled ? "all" : "none";
}

const channelParams = z.object({ channel_id: channelIdSchema });

function channelOfCursor(cursor: string): string {
  return decodeCursor(cursor, ([channelId]) => channelIdSchema.parse(channelId));
}

export interface NotificationSettingsRoutesOptions {
  bodyLimitBytes: number;
  /** Spends a write of the session's budget (the device writes'): each new channel is a stored row. */
  sessionWriteLimit: RequestHandler;
}

/**
 * The user and channel levels of the toggles (docs/api.md §6), for the signed-in client
 * (`/v1/users/@me/…`) and for the customer server (`/v1/apps/{app_id}/users/{user_id}/…`):
 * the user's settings, each channel's, and the list of the channels set apart from the default.
 */
export function notificationSettingsRoutes(
  settings: NotificationSettingsRepository,
  apps: AppService,
  auth: Authenticator,
  options: NotificationSettingsRoutesOptions,
): Router {
  const router = Router();
  const json = jsonBody(options.bodyLimitBytes);

  for (const { prefix, authorize, subjectOf, bySession } of userRoutePrefixes(apps, auth)) {
    const writeLimit = bySession ? [options.sessionWriteLimit] : [];
    route(router, `${prefix}/notification-settings`, {
      get: [
        authorize,
        async (req, res) => {
          const { appId, userId } = await subjectOf(req);
          res.json(presentUserSettings(await settings.userSettings(appId, userId), new Date()));
        },
      ],
      put: [
        authorize,
        ...writeLimit,
        json,
        async (req, res) => {
          const { appId, userId } = await subjectOf(req);
          const body = changeUserSettingsSchema.parse(req.body);
          const changed = await settings.changeUserSettings(appId, userId, {
            enabled: body.enabled,
            modules: body.modules?.map((entry) => ({
              module: entry.module,
              enabled: entry.enabled,
              roleFilter: entry.role_filter,
            })),
            snoozedUntil: body.snoozed_until,
            quietHours: body.quiet_hours,
            locale: body.locale,
          });
          res.json(presentUserSettings(changed, new Date()));
        },
      ],
    });

    route(router, `${prefix}/channels/notification-settings`, {
      get: [
        authorize,
        async (req, res) => {
          const { appId, userId } = await subjectOf(req);
          const { limit, cursor } = channelSettingsListQuery.parse(req.query);
          const at = new Date();
          const after = cursor === undefined ? undefined : channelOfCursor(cursor);
          const page = await settings.channelsApartFromDefault(appId, userId, at, { after, limit });
          const last = page.at(-1);
          const next = page.length === limit && last ? encodeCursor([last.channelId]) : null;
          res.json(presentChannelSettingsList(page, at, next));
        },
      ],
    });

    route(router, `${prefix}/channels/:channel_id/notification-settings`, {
      get: [
        authorize,
        async (req, res) => {
          const { appId, userId } = await subjectOf(req);
          const { channel_id: channelId } = channelParams.parse(req.params);
          res.json(
            presentChannelSettings(await settings.channelSettings(appId, userId, channelId), new Date()),
          );
        },
      ],
      put: [
        authorize,
        ...writeLimit,
        json,
        async (req, res) => {
          const { appId, userId } = await subjectOf(req);
          const { channel_id: channelId } = channelParams.parse(req.params);
          const body = changeChannelSettingsSchema.parse(req.body);
          const changed = await settings.changeChannelSettings(appId, userId, channelId, {
            level: body.level ?? levelOfSwitch(body.enabled),
            // A v1 client turning a channel on means it on now, mute or not.
            mutedUntil: body.muted_until === undefined && body.enabled === true ? null : body.muted_until,
          });
          res.json(presentChannelSettings(changed, new Date()));
        },
      ],
    });
  }

  return router;
}
