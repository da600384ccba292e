import { type Request, type Response, Router } from "express";
import { ZodError } from "zod";
import type { App, SecretKind } from "../../domain/apps/app.js";
import type { AppPatch, AppService } from "../../domain/apps/app-service.js";
import { type FieldError, InvalidInputError } from "../../domain/errors.js";
import { HttpProblem, validationErrors } from "../../http/problem.js";
import { type AppDefaults, apnsPatch, fcmPatch, newAppInput, settingsPatch } from "../app-form.js";
import {
  consoleBase,
  consoleLocals,
  formOf,
  isAdmin,
  requireAdminSession,
  requireAppVisible,
} from "../console-auth.js";
import type { FlashCookies } from "../flash.js";
import type { ConsoleForm } from "../form-body.js";
import {
  type ApnsFields,
  apnsFieldsOfForm,
  newAppFieldsOfForm,
  type SettingsFields,
  settingsFieldsOfApp,
  settingsFieldsOfForm,
} from "../settings-fields.js";
import {
  appListPage,
  appPage,
  deleteConfirmPage,
  pushOffConfirmPage,
  rotateConfirmPage,
  secretLabels,
  webhookOffConfirmPage,
} from "../views/apps.js";

/** The field errors of a refused form, or null when the error is not about the input. */
function formErrors(error: unknown): FieldError[] | null {
  if (error instanceof ZodError) return validationErrors(error);
  if (error instanceof InvalidInputError)
    return error.errors.length ? error.errors : [{ path: "(form)", message: error.message }];
  return null;
}

const kindOfSlug = new Map(
  (Object.entries(secretLabels) as [SecretKind, { slug: string }][]).map(([kind, { slug }]) => [slug, kind]),
);

export interface AppPageSettings {
  defaults: AppDefaults;
  /** How often a webhook its failures turned off is still called, as the app page tells. */
  probeIntervalSeconds: number;
  rotationOverlapSeconds: number;
}

/** What a refused form held: the settings form's fields, or the APNs form's identifiers. */
type Typed = { settings?: SettingsFields; apns?: ApnsFields };

/**
 * The app pages. Every POST that works answers 303 to the app's page, which shows the outcome
 * once (Post/Redirect/Get: a reload repeats nothing); a refused one answers 400 with the form
 * as it was typed.
 */
export function appRoutes(apps: AppService, flash: FlashCookies, options: AppPageSettings): Router {
  const router = Router();
  const appPath = (appId: string) => `${consoleBase}/apps/${appId}`;

  function showApp(res: Response, app: App, errors: FieldError[] = [], typed: Typed = {}): string {
    return appPage(consoleLocals(res), app, {
      probeIntervalSeconds: options.probeIntervalSeconds,
      canDelete: isAdmin(res),
      errors,
      settings: typed.settings ?? settingsFieldsOfApp(app),
      apns: typed.apns,
    }).text;
  }

  async function visibleApps(res: Response): Promise<App[]> {
    const scope = consoleLocals(res).session.scope;
    if (scope?.kind === "app") return [await apps.get(scope.appId)];
    return apps.list();
  }

  async function visibleApp(res: Response, appId: string): Promise<App> {
    requireAppVisible(res, appId);
    return apps.get(appId);
  }

  router.get("/apps", async (_req, res) => {
    res.send(appListPage(consoleLocals(res), await visibleApps(res), { canCreate: isAdmin(res) }).text);
  });

  router.post("/apps", async (req, res) => {
    requireAdminSession(res);
    const form = formOf(res);
    try {
      const { app, secrets } = await apps.create(newAppInput(form, options.defaults));
      flash.redirect(req, res, appPath(app.id), {
        notice: `${app.name} is created.`,
        secrets: [
          { label: secretLabels.server_key.label, value: secrets.serverKey },
          { label: secretLabels.event_secret.label, value: secrets.eventSecret },
          { label: secretLabels.webhook_secret.label, value: secrets.webhookSecret },
        ],
      });
    } catch (error) {
      const errors = formErrors(error);
      if (!errors) throw error;
      const page = appListPage(consoleLocals(res), await visibleApps(res), {
        canCreate: true,
        errors,
        typed: newAppFieldsOfForm(form),
      });
      res.status(400).send(page.text);
    }
  });

  router.get("/apps/:app_id", async (req, res) => {
    res.send(showApp(res, await visibleApp(res, req.params.app_id)));
  });

  /**
   * Applies a change through AppService (validation, SSRF guard), then redirects to the app's
   * page with `notice`; refused, the page again with the errors and what `typed` keeps of the form.
   */
  function appChange(
    change: (form: ConsoleForm) => AppPatch | Promise<AppPatch>,
    notice: string,
    typed: (form: ConsoleForm) => Typed = () => ({}),
  ) {
    return async (req: Request<{ app_id: string }>, res: Response) => {
      const appId = req.params.app_id;
      requireAppVisible(res, appId);
      const form = formOf(res);
      try {
        await apps.update(appId, await change(form));
        flash.redirect(req, res, appPath(appId), { notice });
      } catch (error) {
        const errors = formErrors(error);
        if (!errors) throw error;
        res.status(400).send(showApp(res, await apps.get(appId), errors, typed(form)));
      }
    };
  }

  router.get("/apps/:app_id/push/off", async (req, res) => {
    const app = await visibleApp(res, req.params.app_id);
    if (!app.pushEnabled) return res.redirect(303, appPath(app.id));
    res.send(pushOffConfirmPage(consoleLocals(res), app).text);
  });
  router.post("/apps/:app_id/push", (req, res) => {
    const on = formOf(res).text("enabled") === "on";
    const notice = on
      ? "Push is back on: notifications of this app go out again."
      : "Push is off: no notification of this app goes to any device until it is turned back on.";
    return appChange(() => ({ pushEnabled: on }), notice)(req, res);
  });
  router.post(
    "/apps/:app_id/settings",
    appChange(
      (form) => settingsPatch(form, options.defaults),
      "Settings saved.",
      (form) => ({ settings: settingsFieldsOfForm(form) }),
    ),
  );
  router.post(
    "/apps/:app_id/webhook/on",
    appChange(() => ({ webhook: { enabled: true } }), "The webhook is back on."),
  );
  router.get("/apps/:app_id/webhook/off", async (req, res) => {
    const app = await visibleApp(res, req.params.app_id);
    if (!app.webhook || app.webhook.disabled) return res.redirect(303, appPath(app.id));
    res.send(webhookOffConfirmPage(consoleLocals(res), app, app.webhook).text);
  });
  router.post(
    "/apps/:app_id/webhook/off",
    appChange(
      () => ({ webhook: { enabled: false } }),
      "The webhook is off: its events take the fallback until it is turned back on.",
    ),
  );
  router.post("/apps/:app_id/fcm", appChange(fcmPatch, "FCM service account stored."));
  router.post(
    "/apps/:app_id/apns",
    appChange(apnsPatch, "APNs key stored.", (form) => ({ apns: apnsFieldsOfForm(form) })),
  );
  router.post(
    "/apps/:app_id/fcm/remove",
    appChange(() => ({ fcm: null }), "FCM credentials removed."),
  );
  router.post(
    "/apps/:app_id/apns/remove",
    appChange(() => ({ apns: null }), "APNs credentials removed."),
  );

  function secretKindOf(slug: string): SecretKind {
    const kind = kindOfSlug.get(slug);
    if (!kind) throw new HttpProblem(404, "not-found", `There is no secret kind ${slug}.`);
    return kind;
  }

  router.get("/apps/:app_id/secrets/:kind/rotate", async (req, res) => {
    const app = await visibleApp(res, req.params.app_id);
    const kind = secretKindOf(req.params.kind);
    res.send(rotateConfirmPage(consoleLocals(res), app, kind, options.rotationOverlapSeconds).text);
  });

  router.post("/apps/:app_id/secrets/:kind/rotate", async (req, res) => {
    const app = await visibleApp(res, req.params.app_id);
    const kind = secretKindOf(req.params.kind);
    const rotated = await apps.rotateSecret(app.id, kind);
    const { label } = secretLabels[kind];
    const until = rotated.previousValidUntil.toISOString();
    flash.redirect(req, res, appPath(app.id), {
      notice: `The ${label.toLowerCase()} is rotated; the previous one works until ${until}.`,
      secrets: [{ label, value: rotated.secret }],
    });
  });

  router.get("/apps/:app_id/delete", async (req, res) => {
    requireAdminSession(res);
    const app = await visibleApp(res, req.params.app_id);
    res.send(deleteConfirmPage(consoleLocals(res), app).text);
  });

  router.post("/apps/:app_id/delete", async (req, res) => {
    requireAdminSession(res);
    const app = await visibleApp(res, req.params.app_id);
    await apps.delete(app.id);
    flash.redirect(req, res, `${consoleBase}/apps`, {
      notice: `${app.name} (${app.id}) is deleted, with its devices, events and secrets.`,
    });
  });

  return router;
}
