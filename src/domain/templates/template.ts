import { z } from "zod";
import { localeSchema } from "./locale.js";

/** The event types that notify someone, and so have a wording. */
export const templateEventTypes = [
  "channel.created",
  "channel.member_joined",
  "message.created",
  "call.ringing",
  "notification.custom",
] as const;
export type TemplateEventType = (typeof templateEventTypes)[number];

export function isTemplateEventType(type: string): type is TemplateEventType {
  return (templateEventTypes as readonly string[]).includes(type);
}

/** The wording of one language; a field left out keeps the built-in one. */
export interface LocaleWording {
  title?: string;
  body?: string;
  /** The text of a notification that stands for several (bursts). */
  burst_body?: string;
}

export interface ApnsPresentation {
  sound?: string;
  category?: string;
  /** Lets the app's notification service extension rewrite the notification (the privacy recipe). */
  mutable_content?: boolean;
}

export interface AndroidPresentation {
  channel_id?: string;
  sound?: string;
}

/** An app's wording of one event type: Mustache text per locale, and how the devices present it. */
export interface NotificationTemplate {
  locales: Record<string, LocaleWording>;
  apns?: ApnsPresentation;
  android?: AndroidPresentation;
}

const maxTemplateTextLength = 2000;
const maxLocales = 100;
/** The whole template as JSON: it is stored per app and read by every send. */
export const maxTemplateBytes = 64 * 1024;

const templateText = z
  .string()
  .max(maxTemplateTextLength, `must be at most ${maxTemplateTextLength} characters`);
const presentationName = z
  .string()
  .min(1, "must not be empty")
  .max(200, "must be at most 200 characters")
  .regex(/^[^\p{Cc}]*$/u, "must not contain control characters");

/** A template as `PUT` takes it; the Mustache in it is checked afterwards (`templateErrors`). */
export const templateSchema = z
  .strictObject({
    locales: z
      .record(
        z.string(),
        z.strictObject({
          title: templateText.optional(),
          body: templateText.optional(),
          burst_body: templateText.optional(),
        }),
      )
      .refine((locales) => Object.keys(locales).length > 0, "must name at least one locale")
      .refine(
        (locales) => Object.keys(locales).length <= maxLocales,
        `must name at most ${maxLocales} locales`,
      ),
    apns: z
      .strictObject({
        sound: presentationName.optional(),
        category: presentationName.optional(),
        mutable_content: z.boolean().optional(),
      })
      .optional(),
    android: z
      .strictObject({ channel_id: presentationName.optional(), sound: presentationName.optional() })
      .optional(),
  })
  .refine((template) => Buffer.byteLength(JSON.stringify(template)) <= maxTemplateBytes, {
    message: `must be at most ${maxTemplateBytes} bytes as JSON`,
  });

/** The locale keys of a template, each checked and made canonical; errors name the key's path. */
export function canonicalLocaleKeys(locales: Record<string, LocaleWording>): {
  locales: Record<string, LocaleWording>;
  errors: TemplateError[];
} {
  const result: Record<string, LocaleWording> = {};
  const errors: TemplateError[] = [];
  for (const [tag, wording] of Object.entries(locales)) {
    const parsed = localeSchema.safeParse(tag);
    if (!parsed.success) {
      errors.push({ path: `locales.${tag}`, message: parsed.error.issues[0]?.message ?? "not a locale" });
      continue;
    }
    if (parsed.data in result) {
      errors.push({ path: `locales.${tag}`, message: `names the locale ${parsed.data} a second time` });
      continue;
    }
    result[parsed.data] = wording;
  }
  return { locales: result, errors };
}

/** What is wrong with a template, and where (`locales.fr.title`). */
export interface TemplateError {
  path: string;
  message: string;
}
