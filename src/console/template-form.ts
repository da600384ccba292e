import { InvalidInputError } from "../domain/errors.js";
import {
  type LocaleWording,
  type NotificationTemplate,
  templateSchema,
} from "../domain/templates/template.js";
import { checkedTemplate } from "../domain/templates/template-validation.js";
import type { ConsoleForm } from "./form-body.js";

export const wordingFields = ["title", "body", "burst_body"] as const;

/** One locale of the editor, as typed. */
export interface LocaleRow {
  tag: string;
  title: string;
  body: string;
  burst_body: string;
  /** Ticked "remove this locale": left out when the form is saved. */
  remove: boolean;
}

/** The editor's fields as typed, so that a refused form shows them again unchanged. */
export interface TemplateDraft {
  rows: LocaleRow[];
  apns: { sound: string; category: string; mutable_content: boolean };
  android: { channel_id: string; sound: string };
}

export function draftOfTemplate(template: NotificationTemplate): TemplateDraft {
  return {
    rows: Object.entries(template.locales).map(([tag, wording]) => ({
      tag,
      title: wording.title ?? "",
      body: wording.body ?? "",
      burst_body: wording.burst_body ?? "",
      remove: false,
    })),
    apns: {
      sound: template.apns?.sound ?? "",
      category: template.apns?.category ?? "",
      mutable_content: template.apns?.mutable_content === true,
    },
    android: { channel_id: template.android?.channel_id ?? "", sound: template.android?.sound ?? "" },
  };
}

/** The editor's form: one row per `locale` field (the last one is the blank "add a locale" row). */
export function draftOfForm(form: ConsoleForm): TemplateDraft {
  const tags = form.all("locale");
  const texts = Object.fromEntries(wordingFields.map((field) => [field, form.all(field)]));
  const removed = new Set(form.all("remove"));
  return {
    rows: tags
      .map((tag, index) => ({
        tag,
        title: texts.title?.[index] ?? "",
        body: texts.body?.[index] ?? "",
        burst_body: texts.burst_body?.[index] ?? "",
        remove: removed.has(String(index)),
      }))
      .filter((row) => row.tag !== "" || wordingFields.some((field) => row[field] !== "")),
    apns: {
      sound: form.text("apns_sound"),
      category: form.text("apns_category"),
      mutable_content: form.text("apns_mutable_content") === "on",
    },
    android: { channel_id: form.text("android_channel_id"), sound: form.text("android_sound") },
  };
}

/** Empty fields are left out: the built-in wording, or no presentation setting. */
function filled<T extends Record<string, string | boolean>>(fields: T): Partial<T> | undefined {
  const kept = Object.entries(fields).filter(([, value]) => value !== "" && value !== false);
  return kept.length ? (Object.fromEntries(kept) as Partial<T>) : undefined;
}

/**
 * The template a draft stands for, checked exactly as `PUT /v1/apps/{app_id}/templates/{event_type}`
 * checks it: throws the schema's `ZodError` or the Mustache checks' `InvalidInputError`.
 */
export function templateOfDraft(draft: TemplateDraft): NotificationTemplate {
  const locales: Record<string, LocaleWording> = {};
  const repeated: { path: string; message: string }[] = [];
  for (const row of draft.rows) {
    if (row.remove) continue;
    // Two rows with one tag would silently become one key: said here, as JSON cannot say it.
    if (row.tag in locales) {
      repeated.push({ path: `locales.${row.tag}`, message: `names the locale ${row.tag} a second time` });
      continue;
    }
    locales[row.tag] = filled({ title: row.title, body: row.body, burst_body: row.burst_body }) ?? {};
  }
  if (repeated.length) throw new InvalidInputError("the template has errors", repeated);
  const template = templateSchema.parse({
    locales,
    apns: filled(draft.apns),
    android: filled(draft.android),
  });
  return checkedTemplate(template);
}
