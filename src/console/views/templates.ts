import type { App } from "../../domain/apps/app.js";
import type { FieldError } from "../../domain/errors.js";
import { type TemplateEventType, templateEventTypes } from "../../domain/templates/template.js";
import type { StoredTemplate } from "../../domain/templates/template-repository.js";
import type { NotificationPreview } from "../../pipeline/stages/preview.js";
import type { ConsoleLocals } from "../console-auth.js";
import { consoleBase } from "../console-auth.js";
import { html, type SafeHtml } from "../html.js";
import type { SampleEvent } from "../sample-events.js";
import { type LocaleRow, type TemplateDraft, wordingFields } from "../template-form.js";
import { csrfField, errorSummary, page, time } from "./layout.js";

const fieldLabels = { title: "Title", body: "Body", burst_body: "Body of a burst" } as const;

function templatesPath(app: App): string {
  return `${consoleBase}/apps/${app.id}/templates`;
}

export function templateListPage(locals: ConsoleLocals, app: App, stored: StoredTemplate[]): SafeHtml {
  const rows = templateEventTypes.map((type) => {
    const own = stored.find((entry) => entry.eventType === type);
    return html`<tr>
      <td><a class="tap" href="${templatesPath(app)}/${type}">${type}</a></td>
      <td>${own ? html`customised: ${Object.keys(own.template.locales).join(", ")}` : "built-in (English)"}</td>
      <td>${own ? time(own.updatedAt) : "—"}</td>
    </tr>`;
  });
  return page({
    title: `Notification wording of ${app.name}`,
    section: "apps",
    locals,
    body: html`
      <p><a class="tap" href="${consoleBase}/apps/${app.id}">Back to ${app.name}</a></p>
      <p>Each event type notifies in the app's own wording per language, or in the built-in English wording.
        Recipients whose language has no wording get the app's default locale (<code>${app.defaultLocale}</code>).</p>
      <table class="narrow">
        <caption class="visually-hidden">Wording per event type</caption>
        <thead><tr><th scope="col">Event type</th><th scope="col">Wording</th><th scope="col">Updated</th></tr></thead>
        <tbody>${rows}</tbody>
      </table>`,
  });
}

/** The errors of one field: shown beside it and tied to it for screen readers. */
function fieldErrors(errors: FieldError[], path: string): FieldError[] {
  return errors.filter((error) => error.path === path);
}

function invalidAttributes(id: string, errors: FieldError[]): SafeHtml | string {
  return errors.length ? html` aria-invalid="true" aria-describedby="${id}-error"` : "";
}

function errorText(id: string, errors: FieldError[]): SafeHtml | string {
  return errors.length
    ? html`<span class="field-error" id="${id}-error">${errors.map((error) => error.message).join("; ")}</span>`
    : "";
}

function textInput(id: string, name: string, label: string, value: string, errors: FieldError[]): SafeHtml {
  return html`<label for="${id}">${label}</label>
    ${errorText(id, errors)}
    <input id="${id}" name="${name}" value="${value}"${invalidAttributes(id, errors)}>`;
}

function localeFieldset(row: LocaleRow, index: number, errors: FieldError[], isNew: boolean): SafeHtml {
  const tagId = `l${index}-tag`;
  const tagErrors = isNew ? [] : fieldErrors(errors, `locales.${row.tag}`);
  const texts = wordingFields.map((field) => {
    const id = `l${index}-${field}`;
    const own = isNew ? [] : fieldErrors(errors, `locales.${row.tag}.${field}`);
    return html`<label for="${id}">${fieldLabels[field]}</label>
      ${errorText(id, own)}
      <textarea id="${id}" name="${field}" rows="${field === "title" ? 1 : 2}"${invalidAttributes(id, own)}>${row[field]}</textarea>`;
  });
  return html`<fieldset class="stack">
    <legend>${isNew ? "Add a locale" : `Locale ${row.tag}`}</legend>
    ${isNew ? html`<p class="hint">Give a tag (such as <code>fr</code> or <code>pt-BR</code>) and its wording; left empty, nothing is added.</p>` : ""}
    ${textInput(tagId, "locale", "Locale tag", row.tag, tagErrors)}
    ${texts}
    ${
      isNew
        ? ""
        : html`<label class="check"><input type="checkbox" name="remove" value="${index}"${row.remove ? html` checked` : ""}>
        Remove this locale when saving</label>`
    }
  </fieldset>`;
}

export interface PreviewState {
  samples: SampleEvent[];
  sample: string;
  locale: string;
  result: NotificationPreview | null;
  errors: FieldError[];
}

/** The preview's result; the live script rebuilds the inside of `#preview-result` the same way. */
function previewResult(preview: PreviewState): SafeHtml {
  return html`<div id="preview-result" aria-live="polite">${
    preview.result
      ? html`<dl class="facts">
          <dt>Title</dt><dd>${preview.result.title}</dd>
          <dt>Body</dt><dd>${preview.result.body}</dd>
          <dt>Locale used</dt><dd>${preview.result.localeUsed}</dd>
        </dl>`
      : html`<p>No preview: ${preview.errors.map((error) => `${error.path}: ${error.message}`).join("; ")}</p>`
  }</div>`;
}

function previewPanel(preview: PreviewState, errors: FieldError[]): SafeHtml {
  const localeErrors = fieldErrors(errors, "preview_locale");
  return html`<section class="panel stack" aria-labelledby="preview-heading">
    <h2 id="preview-heading">Preview</h2>
    <p class="hint">What a recipient gets for a sample event, cut to the providers' limits as a send cuts it.</p>
    <label for="preview-sample">Sample event</label>
    <select id="preview-sample" name="sample">${preview.samples.map(
      (sample) =>
        html`<option value="${sample.name}"${sample.name === preview.sample ? html` selected` : ""}>${sample.name}</option>`,
    )}</select>
    <label for="preview-locale">Recipient's locale <span class="hint">(empty: the app's default)</span></label>
    ${errorText("preview-locale", localeErrors)}
    <input id="preview-locale" name="preview_locale" value="${preview.locale}" placeholder="fr-CA"${invalidAttributes("preview-locale", localeErrors)}>
    <button type="submit" name="action" value="preview" class="secondary">Preview</button>
    ${previewResult(preview)}
  </section>`;
}

export interface EditorState {
  app: App;
  eventType: TemplateEventType;
  stored: StoredTemplate | null;
  draft: TemplateDraft;
  preview: PreviewState;
  errors: FieldError[];
}

export function templateEditorPage(locals: ConsoleLocals, state: EditorState): SafeHtml {
  const { app, eventType, draft, errors } = state;
  const action = `${templatesPath(app)}/${eventType}`;
  const blank: LocaleRow = { tag: "", title: "", body: "", burst_body: "", remove: false };
  const presentation = (path: string, id: string, name: string, label: string, value: string) =>
    textInput(id, name, label, value, fieldErrors(errors, path));
  return page({
    title: `Wording of ${eventType}`,
    section: "apps",
    locals,
    body: html`
      ${errorSummary(errors)}
      <p><a class="tap" href="${templatesPath(app)}">All event types of ${app.name}</a></p>
      <p>${
        state.stored
          ? html`Customised, updated ${time(state.stored.updatedAt)}.`
          : "Built-in wording: saving stores the app's own."
      } Texts are Mustache, such as <code>{{actor.name}}</code>; a field left empty keeps the built-in text.</p>
      <form method="post" action="${action}" class="editor" data-preview-url="${action}/preview">
        ${csrfField(locals)}
        ${draft.rows.map((row, index) => localeFieldset(row, index, errors, false))}
        ${localeFieldset(blank, draft.rows.length, errors, true)}
        <fieldset class="stack">
          <legend>iOS (APNs)</legend>
          ${presentation("apns.sound", "apns-sound", "apns_sound", "Sound", draft.apns.sound)}
          ${presentation("apns.category", "apns-category", "apns_category", "Category", draft.apns.category)}
          <label class="check"><input type="checkbox" name="apns_mutable_content"${draft.apns.mutable_content ? html` checked` : ""}>
            Mutable content (the app's notification service extension may rewrite it)</label>
        </fieldset>
        <fieldset class="stack">
          <legend>Android</legend>
          ${presentation("android.channel_id", "android-channel", "android_channel_id", "Channel id", draft.android.channel_id)}
          ${presentation("android.sound", "android-sound", "android_sound", "Sound", draft.android.sound)}
        </fieldset>
        ${previewPanel(state.preview, errors)}
        <p class="actions"><button type="submit" name="action" value="save">Save wording</button>
          ${state.stored ? html`<a class="tap" href="${action}/reset">Back to built-in wording…</a>` : ""}</p>
      </form>
      <script src="${consoleBase}/assets/template-editor.js" defer></script>`,
  });
}

export function resetConfirmPage(
  locals: ConsoleLocals,
  app: App,
  eventType: TemplateEventType,
  stored: StoredTemplate,
): SafeHtml {
  const action = `${templatesPath(app)}/${eventType}`;
  return page({
    title: `Back to the built-in wording of ${eventType}?`,
    section: "apps",
    locals,
    body: html`<p>The app's wording (${Object.keys(stored.template.locales).join(", ")}), updated ${time(stored.updatedAt)},
        is deleted; every recipient gets the built-in English wording again.</p>
      <form method="post" action="${action}/reset" class="actions">
        ${csrfField(locals)}
        <button type="submit" class="danger">Delete the app's wording</button>
        <a class="tap" href="${action}">Keep it</a>
      </form>`,
  });
}
