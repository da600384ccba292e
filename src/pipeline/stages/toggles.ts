import type { App } from "../../domain/apps/app.js";
import type { AudienceDecision, AudienceFilter, NotificationModule } from "../../domain/audience/audience.js";
import type { LiveEvent } from "../../domain/events/live-event.js";

/**
 * The three levels at which push can be turned off: the app's network switch, then each
 * recipient's own settings and their settings for the channel, for all recipients at once.
 */
export async function applyToggles(
  app: App,
  audience: AudienceFilter,
  event: LiveEvent,
  module: NotificationModule,
  recipients: string[],
): Promise<AudienceDecision> {
  if (recipients.length === 0) return { allowed: [], suppressed: [], suppressedBy: {} };
  if (!app.pushEnabled)
    return { allowed: [], suppressed: recipients, suppressedBy: { network: recipients.length } };
  return audience.filter(
    { appId: app.id, module, channelId: event.channel?.id, actorRoles: event.actor?.roles ?? [] },
    recipients,
  );
}
