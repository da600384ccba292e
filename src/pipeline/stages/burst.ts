import type { App } from "../../domain/apps/app.js";
import type { LiveEvent } from "../../domain/events/live-event.js";
import { mentionsOf } from "../../domain/events/mentions.js";
import { matchLocale } from "../../domain/templates/locale.js";
import type { NotificationTemplate } from "../../domain/templates/template.js";
import { recipientVariables, templateView, viewFor } from "../../domain/templates/template-context.js";
import { renderWording } from "../../domain/templates/template-rendering.js";
import { templateNames } from "../../domain/templates/template-validation.js";
import type { PushTarget } from "../../providers/push-provider.js";
import type { TemplateObserver, WordingGroup } from "./localize.js";
import { fitToPayload, type Notification } from "./render.js";

/** How a message notification joins its recipients' bursts (docs/api.md, Bursts); its delivery jobs carry it. */
export interface BurstPlan {
  windowSeconds: number;
  /** The app's `message.created` template, for `burst_body`; null: the built-in wording. */
  template: NotificationTemplate | null;
}

/**
 * The burst a notification joins, or undefined when it folds into none: the app has no window,
 * or it is not a message of a channel, or it mentions everyone (mentions are never folded).
 */
export function planBurst(
  app: App,
  event: LiveEvent,
  notification: Notification,
  template: NotificationTemplate | null,
): BurstPlan | undefined {
  if (app.burstWindowSeconds === 0 || event.type !== "message.created" || notification.call) return undefined;
  if (!event.channel || mentionsOf(event).mentionsEveryone) return undefined;
  return { windowSeconds: app.burstWindowSeconds, template };
}

/** The users among `userIds` whose notification joins their burst: all but those the message mentions. */
export function foldableUsers(event: LiveEvent, userIds: Iterable<string>): string[] {
  const mentioned = new Set(mentionsOf(event).mentionedUserIds);
  return [...userIds].filter((userId) => !mentioned.has(userId));
}

/** Whether a notification is the second or a later one of its burst, and so replaces the one before. */
export function folds(burstCount: number | undefined): boolean {
  return burstCount !== undefined && burstCount >= 2;
}

/**
 * The wording of notifications that fold into a burst: the template's title and `burst_body`
 * with the burst's `count`, per matched locale and count (and per recipient when the template
 * names them).
 */
export function foldedWordings(
  plan: BurstPlan,
  event: LiveEvent,
  data: Record<string, string>,
  targets: PushTarget[],
  burstCounts: Map<string, number>,
  appDefaultLocale: string,
  observer?: TemplateObserver,
): WordingGroup[] {
  const { template } = plan;
  const locales = template ? Object.keys(template.locales) : [];
  const perRecipient = template !== null && templateNames(template, recipientVariables);
  const mentioned = new Set(mentionsOf(event).mentionedUserIds);
  const groups = new Map<string, WordingGroup>();
  for (const target of targets) {
    const userId = target.userId ?? "";
    const count = burstCounts.get(userId) ?? 1;
    const locale = target.locale ?? null;
    const key = JSON.stringify([
      perRecipient ? [userId, locale] : matchLocale(locale, locales, appDefaultLocale),
      count,
    ]);
    const group = groups.get(key);
    if (group) {
      group.targets.push(target);
      continue;
    }
    const eventView = templateView(event, null, count);
    const view = perRecipient
      ? viewFor(eventView, { id: userId, locale, mentioned: mentioned.has(userId) })
      : eventView;
    const rendered = renderWording("message.created", template, locale, appDefaultLocale, view, true);
    if (rendered.fellBack) observer?.fallback("message.created");
    groups.set(key, { wording: fitToPayload(rendered.title, rendered.body, data), targets: [target] });
  }
  return [...groups.values()];
}
