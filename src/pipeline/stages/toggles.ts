import type { App } from "../../domain/apps/app.js";
import type {
  AudienceDecision,
  AudienceFilter,
  NotificationKind,
  NotificationModule,
} from "../../domain/audience/audience.js";
import type { LiveEvent } from "../../domain/events/live-event.js";
import { mentionsOf } from "../../domain/events/mentions.js";

function kindOf(event: LiveEvent): NotificationKind {
  switch (event.type) {
    case "message.created":
      return "message";
    case "call.ringing":
      return "call";
    case "notification.custom":
      return "custom";
    case "channel.created":
    case "channel.member_joined":
    case "channel.member_left":
    case "channel.deleted":
      return "other";
  }
}

/**
 * The three levels at which push can be turned off: the app's network switch, then each
 * recipient's own settings (snooze and quiet hours included) and their settings for the
 * channel, for all recipients at once, as they stand at `at`.
 */
export async function applyToggles(
  app: App,
  audience: AudienceFilter,
  event: LiveEvent,
  module: NotificationModule,
  recipients: string[],
  at: Date,
): Promise<AudienceDecision> {
  if (recipients.length === 0)
    return { allowed: [], silent: [], suppressed: [], suppressedBy: {}, locales: {} };
  if (!app.pushEnabled)
    return {
      allowed: [],
      silent: [],
      suppressed: recipients,
      suppressedBy: { network: recipients.length },
      locales: {},
    };
  return audience.filter(
    {
      appId: app.id,
      module,
      channelId: event.channel?.id,
      actorRoles: event.actor?.roles ?? [],
      kind: kindOf(event),
      ...mentionsOf(event),
      quietDelivery: app.quietDelivery,
      at,
    },
    recipients,
  );
}
