import { Router } from "express";
import type { DeviceDeliveryRepository } from "../../domain/events/device-delivery.js";
import type { EventRepository } from "../../domain/events/event-repository.js";
import { decodeCursor, encodeCursor } from "../cursor.js";
import type { Authenticator } from "../middleware/auth.js";
import { presentDeviceDelivery } from "../presenters/device-delivery.js";
import { HttpProblem } from "../problem.js";
import { route } from "../routing.js";
import { listDeviceDeliveriesQuery } from "../schemas/device-deliveries.js";

/** A token as registration stores it: no whitespace, no control character (PostgreSQL refuses a NUL). */
const storedToken = /^[^\s\p{Cc}]{1,4096}$/u;

function tokenAfterCursor(cursor: string): string {
  return decodeCursor(cursor, ([token]) => {
    if (typeof token !== "string" || !storedToken.test(token)) throw new Error("bad cursor");
    return token;
  });
}

/** What became of an event on each device (docs/api.md §8, per-device outcomes). */
export function deviceDeliveryRoutes(
  deliveries: Pick<DeviceDeliveryRepository, "list">,
  events: Pick<EventRepository, "find">,
  auth: Authenticator,
): Router {
  const router = Router();
  route(router, "/v1/apps/:app_id/events/:event_id/deliveries", {
    get: [
      auth.requireAppAccess,
      async (req, res) => {
        const appId = req.params.app_id as string;
        const eventId = req.params.event_id as string;
        const query = listDeviceDeliveriesQuery.parse(req.query);
        if (!(await events.find(appId, eventId)))
          throw new HttpProblem(404, "not-found", `no event ${eventId} in this app`);
        const page = await deliveries.list(appId, eventId, {
          outcome: query.outcome,
          userId: query.user_id,
          afterToken: query.cursor ? tokenAfterCursor(query.cursor) : undefined,
          limit: query.limit,
        });
        const last = page.at(-1);
        res.json({
          deliveries: page.map(presentDeviceDelivery),
          next_cursor: page.length === query.limit && last ? encodeCursor([last.token]) : null,
        });
      },
    ],
  });
  return router;
}
