import { z } from "zod";
import { secretKinds } from "../../routes/apps.js";
import { channelIdSchema, eventIdSchema, userIdSchema } from "../../schemas/identifiers.js";
import { templateEventTypeSchema } from "../../schemas/templates.js";

/** Every path parameter the routes use, with the schema it is checked against. */
export const pathParameters: Record<string, { schema: z.ZodType; description: string }> = {
  app_id: { schema: z.string(), description: "The app's id" },
  event_id: { schema: eventIdSchema, description: "The event's id, as the event source chose it" },
  user_id: { schema: userIdSchema, description: "A user id of the customer's" },
  channel_id: { schema: channelIdSchema, description: "A channel id of the customer's" },
  event_type: { schema: templateEventTypeSchema, description: "An event type that notifies someone" },
  kind: {
    schema: z.enum([...secretKinds.keys()]),
    description: "Which secret: the server key, the event secret or the webhook secret",
  },
};
