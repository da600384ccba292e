import { type Request, Router } from "express";
import { z } from "zod";
import type { ChannelRepository } from "../../domain/channels/channel-repository.js";
import type { Authenticator } from "../middleware/auth.js";
import { jsonBody } from "../middleware/body.js";
import { route } from "../routing.js";
import { channelMembersSchema } from "../schemas/events.js";
import { channelIdSchema } from "../schemas/identifiers.js";

const channelParams = z.object({ channel_id: channelIdSchema });

function channelIdOf(req: Request): string {
  return channelParams.parse(req.params).channel_id;
}

/** The customer server sets or reads a channel's membership (docs/api.md §7.3). */
export function channelRoutes(
  channels: ChannelRepository,
  auth: Authenticator,
  bodyLimitBytes: number,
): Router {
  const router = Router();
  route(router, "/v1/apps/:app_id/channels/:channel_id/members", {
    get: [
      auth.requireAppAccess,
      async (req, res) => {
        res.json({
          member_ids: await channels.members(req.params.app_id as string, channelIdOf(req)),
        });
      },
    ],
    put: [
      auth.requireAppAccess,
      jsonBody(bodyLimitBytes),
      async (req, res) => {
        const { member_ids } = channelMembersSchema.parse(req.body ?? {});
        await channels.replaceMembers(req.params.app_id as string, channelIdOf(req), member_ids);
        res.json({ member_ids: [...new Set(member_ids)] });
      },
    ],
  });
  return router;
}
