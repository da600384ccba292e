import { Router } from "express";
import type { AppService } from "../../domain/apps/app-service.js";
import type { Clock } from "../../domain/clock.js";
import { InvalidInputError } from "../../domain/errors.js";
import {
  isTemplateEventType,
  type TemplateEventType,
  templateEventTypes,
} from "../../domain/templates/template.js";
import type { TemplateRepository } from "../../domain/templates/template-repository.js";
import { checkedTemplate } from "../../domain/templates/template-validation.js";
import { previewNotification } from "../../pipeline/stages/preview.js";
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
    throw new InvalidInputError(`no wording for event type ${name}`, [
      { path: "event_type", message: `has no wording; use one of ${templateEventTypes.join(", ")}` },
    ]);
  }
  return name;
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
        const preview = previewNotification(
          event,
          event.type,
          template,
          body.locale ?? null,
          app.defaultLocale,
        );
        res.json({ title: preview.title, body: preview.body, locale_used: preview.localeUsed });
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
        const template = checkedTemplate(putTemplateSchema.parse(req.body));
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
