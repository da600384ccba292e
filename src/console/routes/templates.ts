import { type Response, Router } from "express";
import { ZodError } from "zod";
import type { App } from "../../domain/apps/app.js";
import type { AppService } from "../../domain/apps/app-service.js";
import type { Clock } from "../../domain/clock.js";
import { type FieldError, InvalidInputError } from "../../domain/errors.js";
import { builtInWording } from "../../domain/templates/built-in-templates.js";
import { builtInLocale, localeSchema } from "../../domain/templates/locale.js";
import {
  isTemplateEventType,
  type NotificationTemplate,
  type TemplateEventType,
} from "../../domain/templates/template.js";
import type { TemplateRepository } from "../../domain/templates/template-repository.js";
import { HttpProblem, validationErrors } from "../../http/problem.js";
import { previewNotification } from "../../pipeline/stages/preview.js";
import { consoleBase, consoleLocals, formOf, requireAppVisible } from "../console-auth.js";
import type { FlashCookies } from "../flash.js";
import type { ConsoleForm } from "../form-body.js";
import type { SampleEvent } from "../sample-events.js";
import { draftOfForm, draftOfTemplate, type TemplateDraft, templateOfDraft } from "../template-form.js";
import {
  type PreviewState,
  resetConfirmPage,
  templateEditorPage,
  templateListPage,
} from "../views/templates.js";

/** The field errors of refused input, or null when the error is not about the input. */
function inputErrors(error: unknown): FieldError[] | null {
  if (error instanceof ZodError) return validationErrors(error);
  if (error instanceof InvalidInputError) return error.errors;
  return null;
}

/** The draft as a template, or its errors (the PUT's own checks). */
function checkedDraft(draft: TemplateDraft): { template: NotificationTemplate | null; errors: FieldError[] } {
  try {
    return { template: templateOfDraft(draft), errors: [] };
  } catch (error) {
    const errors = inputErrors(error);
    if (!errors) throw error;
    return { template: null, errors };
  }
}

export interface TemplateConsoleDeps {
  apps: AppService;
  templates: TemplateRepository;
  samples: Map<TemplateEventType, SampleEvent[]>;
  clock: Clock;
  flash: FlashCookies;
}

/** The app's wording per event type: list, editor with live preview, back to the built-in wording. */
export function templateRoutes({ apps, templates, samples, clock, flash }: TemplateConsoleDeps): Router {
  const router = Router();

  async function visibleApp(res: Response, appId: string): Promise<App> {
    requireAppVisible(res, appId);
    return apps.get(appId);
  }

  function eventTypeOf(name: string): TemplateEventType {
    if (!isTemplateEventType(name)) throw new HttpProblem(404, "not-found", `no wording for ${name}`);
    return name;
  }

  /** What the preview panel shows for a template (null: the built-in wording), sample and locale. */
  function previewState(
    app: App,
    eventType: TemplateEventType,
    template: NotificationTemplate | null,
    form: ConsoleForm | null,
    draftErrors: FieldError[],
  ): PreviewState {
    const own = samples.get(eventType) ?? [];
    const sampleName = form?.text("sample") || (own[0]?.name ?? "");
    const localeText = form?.text("preview_locale") ?? "";
    const errors = [...draftErrors];
    const sample = own.find((entry) => entry.name === sampleName);
    if (!sample) errors.push({ path: "sample", message: `no sample event ${sampleName} for ${eventType}` });
    const locale = localeText === "" ? null : localeSchema.safeParse(localeText);
    if (locale && !locale.success) {
      errors.push({ path: "preview_locale", message: locale.error.issues[0]?.message ?? "not a locale" });
    }
    const result =
      sample && errors.length === 0
        ? previewNotification(sample.event, eventType, template, locale?.data ?? null, app.defaultLocale)
        : null;
    return { samples: own, sample: sampleName, locale: localeText, result, errors };
  }

  router.get("/apps/:app_id/templates", async (req, res) => {
    const app = await visibleApp(res, req.params.app_id);
    res.send(templateListPage(consoleLocals(res), app, await templates.list(app.id)).text);
  });

  router.get("/apps/:app_id/templates/:event_type", async (req, res) => {
    const app = await visibleApp(res, req.params.app_id);
    const eventType = eventTypeOf(req.params.event_type);
    const stored = await templates.find(app.id, eventType);
    const template = stored?.template ?? {
      locales: { [builtInLocale]: { ...builtInWording[eventType] } },
    };
    res.send(
      templateEditorPage(consoleLocals(res), {
        app,
        eventType,
        stored,
        draft: draftOfTemplate(template),
        preview: previewState(app, eventType, stored?.template ?? null, null, []),
        errors: [],
      }).text,
    );
  });

  // Save, or (the Preview button, without JavaScript) the same page with the draft's preview.
  router.post("/apps/:app_id/templates/:event_type", async (req, res) => {
    const app = await visibleApp(res, req.params.app_id);
    const eventType = eventTypeOf(req.params.event_type);
    const form = formOf(res);
    const draft = draftOfForm(form);
    const { template, errors } = checkedDraft(draft);
    const previewing = form.text("action") === "preview";
    if (template && !previewing) {
      await templates.put(app.id, eventType, template, clock.now());
      flash.redirect(req, res, `${consoleBase}/apps/${app.id}/templates/${eventType}`, {
        notice: "The wording is saved.",
      });
      return;
    }
    const preview = previewState(app, eventType, template, form, errors);
    res.status(errors.length || preview.errors.length ? 400 : 200).send(
      templateEditorPage(consoleLocals(res), {
        app,
        eventType,
        stored: await templates.find(app.id, eventType),
        draft,
        preview,
        errors: previewing ? preview.errors : errors,
      }).text,
    );
  });

  // The live preview's JSON: the console holds no server key, so the page cannot call the API's preview.
  router.post("/apps/:app_id/templates/:event_type/preview", async (req, res) => {
    const app = await visibleApp(res, req.params.app_id);
    const eventType = eventTypeOf(req.params.event_type);
    const form = formOf(res);
    const { template, errors } = checkedDraft(draftOfForm(form));
    const preview = previewState(app, eventType, template, form, errors);
    if (!preview.result) {
      res.status(400).json({ errors: preview.errors });
      return;
    }
    const { title, body, localeUsed } = preview.result;
    res.json({ title, body, locale_used: localeUsed });
  });

  router.get("/apps/:app_id/templates/:event_type/reset", async (req, res) => {
    const app = await visibleApp(res, req.params.app_id);
    const eventType = eventTypeOf(req.params.event_type);
    const stored = await templates.find(app.id, eventType);
    if (!stored) {
      res.redirect(303, `${consoleBase}/apps/${app.id}/templates/${eventType}`);
      return;
    }
    res.send(resetConfirmPage(consoleLocals(res), app, eventType, stored).text);
  });

  router.post("/apps/:app_id/templates/:event_type/reset", async (req, res) => {
    const app = await visibleApp(res, req.params.app_id);
    const eventType = eventTypeOf(req.params.event_type);
    await templates.delete(app.id, eventType);
    flash.redirect(req, res, `${consoleBase}/apps/${app.id}/templates`, {
      notice: `${eventType} is back to the built-in wording.`,
    });
  });

  return router;
}
