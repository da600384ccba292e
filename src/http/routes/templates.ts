import { Router } from "express";
import type { AppService } from "../../domain/apps/app-service.js";
import type { Clock } from "../../domain/clock.js";
import { InvalidInputError, NotFoundError } from "../../domain/errors.js";
import {
  canonicalLocaleKeys,
  isTemplateEventType,
  type NotificationTemplate,
  type TemplateError,
  type TemplateEventType,
  templateEventTypes,
} from "../../domain/templates/template.js";
import { templateView } from "../../domain/templates/template-context.js";
import { renderWording } from "../../domain/templates/template-rendering.js";
import type { TemplateRepository } from "../../domain/templates/template-repository.js";
import { templateErrors } from "../../domain/templates/template-validation.js";
import { fitToPayload, notificationData } from "../../pipeline/stages/render.js";
import type { Authenticator } from "../middleware/auth.js";
import { jsonBody } from "../middleware/body.js";
import { presentTemplate } from "../presenters/templates.js";
import { route } from "../routing.js";
import { previewTemplateSchema, putTemplateSchema } from "../schemas/templates.js";

export interface TemplateRoutesOptions {
  bodyLimitBytes: number;
  clock: Clock;
}

function eventTypeOf(name: string): TemplateEventType {
  if (!isTemplateEventType(name)) {
    throw new NotFoundError(`no wording for event type ${name}; use one of ${templateEventTypes.join(", ")}`);
  }
  return name;
}

/**
 * A parsed template with canonical locale keys, or a 400 listing every error under `prefix`:
 * a bad locale key, a text that does not parse, a variable the context does not have.
 */
function checkedTemplate(template: NotificationTemplate, prefix: string): NotificationTemplate {
  const { locales, errors } = canonicalLocaleKeys(template.locales);
  // Checked as sent, so that each path names the key the client wrote.
  const all: TemplateError[] = [...errors, ...templateErrors(template)];
  if (all.length > 0) {
    throw new InvalidInputError(
      "the template has errors",
      all.map((error) => ({ path: prefix + error.path, message: error.message })),
    );
  }
  return { ...template, locales };
}

/** The apps' wording per event type and locale (docs/api.md §12), and a preview that sends nothing. */
export function templateRoutes(
  templates: TemplateRepository,
  apps: AppService,
  auth: Authenticator,
  options: TemplateRoutesOptions,
): Router {
  const router = Router();
  const json = jsonBody(options.bodyLimitBytes);
  const appIdOf = (params: Record<string, unknown>) => String(params.app_id);

  route(router, "/v1/apps/:app_id/templates", {
    get: [
      auth.requireAppAccess,
      async (req, res) => {
        const stored = await templates.list(appIdOf(req.params));
        res.json({
          templates: templateEventTypes.map((type) =>
            presentTemplate(type, stored.find((entry) => entry.eventType === type) ?? null),
          ),
        });
      },
    ],
  });

  // Before `:event_type`, whose 405 would otherwise answer a POST here.
  route(router, "/v1/apps/:app_id/templates/preview", {
    post: [
      auth.requireAppAccess,
      json,
      async (req, res) => {
        const body = previewTemplateSchema.parse(req.body);
        const { event } = body;
        if (!isTemplateEventType(event.type)) {
          throw new InvalidInputError("this event notifies nobody", [
            { path: "event.type", message: `has no wording; use one of ${templateEventTypes.join(", ")}` },
          ]);
        }
        const app = await apps.get(appIdOf(req.params));
        const template = body.template
          ? checkedTemplate(body.template, "template.")
          : ((await templates.find(app.id, event.type))?.template ?? null);
        const locale = body.locale ?? null;
        const wording = renderWording(
          event.type,
          template,
          locale,
          app.defaultLocale,
          templateView(event, null),
        );
        const fitted = fitToPayload(wording.title, wording.body, notificationData(event));
        res.json({ title: fitted.title, body: fitted.body, locale_used: wording.localeUsed });
      },
    ],
  });

  route(router, "/v1/apps/:app_id/templates/:event_type", {
    get: [
      auth.requireAppAccess,
      async (req, res) => {
        const type = eventTypeOf(String(req.params.event_type));
        res.json(presentTemplate(type, await templates.find(appIdOf(req.params), type)));
      },
    ],
    put: [
      auth.requireAppAccess,
      json,
      async (req, res) => {
        const type = eventTypeOf(String(req.params.event_type));
        const template = checkedTemplate(putTemplateSchema.parse(req.body), "");
        const stored = await templates.put(appIdOf(req.params), type, template, options.clock.now());
        res.json(presentTemplate(type, stored));
      },
    ],
    delete: [
      auth.requireAppAccess,
      async (req, res) => {
        const type = eventTypeOf(String(req.params.event_type));
        await templates.delete(appIdOf(req.params), type);
        res.status(204).end();
      },
    ],
  });

  return router;
}
