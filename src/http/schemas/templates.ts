import { z } from "zod";
import { liveEventSchema } from "../../domain/events/live-event.js";
import { localeSchema } from "../../domain/templates/locale.js";
import { templateEventTypes, templateSchema } from "../../domain/templates/template.js";

export const templateEventTypeSchema = z
  .enum(templateEventTypes)
  .describe("An event type that notifies someone, and so has a wording");

/** `PUT` takes the domain's schema as it stands; its Mustache is checked after parsing. */
export const putTemplateSchema = templateSchema;

/** A template to render for a sample event: the stored one, or a draft checked like a `PUT`. */
export const previewTemplateSchema = z.strictObject({
  event: liveEventSchema.describe(
    "A live event as `POST /v1/apps/{app_id}/events` takes it; nothing is sent",
  ),
  locale: localeSchema
    .optional()
    .describe("The recipient's locale (BCP 47); left out, the app's default locale is used"),
  template: templateSchema.optional().describe("A draft to render in place of the stored template"),
});

export const templateResponseSchema = z.object({
  event_type: templateEventTypeSchema,
  built_in: z.boolean().describe("True when the app has no template of its own for this event type"),
  template: templateSchema,
  updated_at: z.iso
    .datetime()
    .optional()
    .describe("When the stored template was last written; absent for the built-in wording"),
});

export const templateListResponseSchema = z.object({
  templates: z.array(templateResponseSchema).describe("Every event type with a wording, in a fixed order"),
});

export const previewResponseSchema = z.object({
  title: z.string().describe("Cut to the providers' limits exactly as a send cuts it"),
  body: z.string(),
  locale_used: z.string().describe("The template's locale that rendered, or `en` for the built-in wording"),
});

export type TemplateResponse = z.infer<typeof templateResponseSchema>;
export type PreviewResponse = z.infer<typeof previewResponseSchema>;
