import { webhookRouteOf } from "../domain/apps/app.js";
import type { AudienceFilter } from "../domain/audience/audience.js";
import type { BadgeCounter } from "../domain/badges/badge-counter.js";
import type { ChannelRepository } from "../domain/channels/channel-repository.js";
import type { AppLookup } from "./current-run.js";
import type { Dispatcher } from "./dispatch/dispatcher.js";
import { queuedMessage } from "./dispatch/fanout-plan.js";
import { audienceReporter, queueAfterReport } from "./dispatch/run-reports.js";
import type { EventJob, WebhookQueue } from "./jobs.js";
import type { RunLedger, WebhookLog } from "./run-ledger.js";
import { planBurst } from "./stages/burst.js";
import { localizeNotification, type TemplateObserver, type TemplateSource } from "./stages/localize.js";
import { applyMembership } from "./stages/membership.js";
import { proposeNotification } from "./stages/proposal.js";
import { applyToggles } from "./stages/toggles.js";
import { firstWebhookCall } from "./webhook/first-call.js";

export interface EventProcessorParts {
  apps: AppLookup;
  runs: Pick<RunLedger, "currentRun" | "recordAudience">;
  channels: ChannelRepository;
  audience: AudienceFilter;
  dispatcher: Pick<Dispatcher, "fanOut">;
  webhooks: WebhookQueue;
  /** Where an event of a type the app's webhook does not take, under `other_events: drop`, is recorded as dropped. */
  webhookLog: Pick<WebhookLog, "recordWebhookOutcome">;
  templates: TemplateSource;
  badges: Pick<BadgeCounter, "setForRun">;
  templateObserver?: TemplateObserver;
}

/**
 * The first stage of an event: recipients, wording (the app's template), membership, toggles; then, per the
 * app's mode, the dispatch of the notification or the call to the customer's webhook.
 */
export class EventProcessor {
  constructor(private readonly parts: EventProcessorParts) {}

  async process(ref: EventJob): Promise<void> {
    const {
      apps,
      runs,
      channels,
      audience,
      dispatcher,
      webhooks,
      webhookLog,
      templates,
      badges,
      templateObserver,
    } = this.parts;
    const app = await apps.findById(ref.appId);
    if (!app) return;
    const expiresAt = new Date(Date.now() + app.notificationTtlSeconds * 1000);
    const started = await runs.currentRun(ref.appId, ref.eventId, ref.run);
    if (!started) return;
    const event = started.payload;

    const proposal = await proposeNotification(ref.appId, event, channels);
    const { recipients } = proposal;
    if (app.badge === "count" && event.badges)
      await badges.setForRun(ref.appId, ref.eventId, ref.run, badgesOf(event.badges, recipients));
    const { notification, localized, template } = proposal.notification
      ? await localizeNotification(app, event, proposal.notification, templates, templateObserver)
      : { notification: null, localized: undefined, template: null };
    await applyMembership(ref.appId, event, channels);
    const checkedAt = new Date();
    const { allowed, silent, suppressed, suppressedBy, locales } = notification
      ? await applyToggles(app, audience, event, notification.module, recipients, checkedAt)
      : { allowed: [], silent: [], suppressed: [], suppressedBy: {}, locales: {} };
    const reporter = audienceReporter(runs, ref, {
      recipients: recipients.length,
      suppressed: suppressed.length,
      suppressedBy,
      expiresAt,
    });

    const route = app.mode === "webhook" && app.webhook ? webhookRouteOf(app.webhook, event.type) : "direct";
    if (route === "drop") {
      await webhookLog.recordWebhookOutcome(ref.appId, ref.eventId, ref.run, "dropped");
      await reporter.record({ opens: [] });
      return;
    }
    // The customer's server renders its own languages from the event: it gets the default locale's
    // wording, and each recipient's language to render theirs.
    if (route === "forward") {
      const call = firstWebhookCall(
        ref,
        {
          notification,
          recipientIds: allowed,
          silentRecipientIds: silent,
          suppressedBy,
          recipientLocales: locales,
        },
        expiresAt,
      );
      return queueAfterReport(reporter, webhooks, [call]);
    }
    const burst = notification ? planBurst(app, event, notification, template) : undefined;
    const message = notification && queuedMessage(notification, event, expiresAt, localized, burst);
    return dispatcher.fanOut(
      app,
      { ref, event, message, recipientIds: allowed, silentRecipientIds: silent, label: "fanout" },
      reporter,
    );
  }
}

/** The counts the event sets, for its recipients only: an event cannot touch other users' badges. */
function badgesOf(badges: Record<string, number>, recipients: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const userId of recipients) {
    const count = badges[userId];
    if (count !== undefined) counts.set(userId, count);
  }
  return counts;
}
