import { type Response, Router } from "express";
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
import type { ConsoleForm } from "../form-body.js";
import {
  type AppPageView,
  appListPage,
  appPage,
  secretLabels,
  secretsOncePage,
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

export function appRoutes(apps: AppService, defaults: AppDefaults, probeIntervalSeconds: number): Router {
  const router = Router();

  function showApp(res: Response, app: App, view: Omit<AppPageView, "probeIntervalSeconds"> = {}): string {
    return appPage(consoleLocals(res), app, { probeIntervalSeconds, ...view }).text;
  }

  async function visibleApps(res: Response): Promise<App[]> {
    const scope = consoleLocals(res).session.scope;
    if (scope?.kind === "app") return [await apps.get(scope.appId)];
    return apps.list();
  }

  router.get("/apps", async (_req, res) => {
    res.send(appListPage(consoleLocals(res), await visibleApps(res), isAdmin(res)).text);
  });

  router.post("/apps", async (_req, res) => {
    requireAdminSession(res);
    try {
      const { app, secrets } = await apps.create(newAppInput(formOf(res), defaults));
      res.status(201).send(
        secretsOncePage(
          consoleLocals(res),
          app,
          [
            { label: secretLabels.server_key.label, value: secrets.serverKey },
            { label: secretLabels.event_secret.label, value: secrets.eventSecret },
            { label: secretLabels.webhook_secret.label, value: secrets.webhookSecret },
          ],
          `${app.name} is created.`,
        ).text,
      );
    } catch (error) {
      const errors = formErrors(error);
      if (!errors) throw error;
      res.status(400).send(appListPage(consoleLocals(res), await visibleApps(res), true, errors).text);
    }
  });

  router.get("/apps/:app_id", async (req, res) => {
    requireAppVisible(res, req.params.app_id);
    res.send(showApp(res, await apps.get(req.params.app_id)));
  });

  /** Applies a change through AppService (validation, SSRF guard) and shows the app again. */
  function appChange(change: (form: ConsoleForm) => AppPatch | Promise<AppPatch>, notice: string) {
    return async (req: { params: { app_id: string } }, res: Response) => {
      const appId = req.params.app_id;
      requireAppVisible(res, appId);
      try {
        const app = await apps.update(appId, await change(formOf(res)));
        res.send(showApp(res, app, { notice }));
      } catch (error) {
        const errors = formErrors(error);
        if (!errors) throw error;
        const typedLocale = formOf(res).text("default_locale") || undefined;
        res.status(400).send(showApp(res, await apps.get(appId), { errors, typedLocale }));
      }
    };
  }

  router.post(
    "/apps/:app_id/push",
    appChange((form) => ({ pushEnabled: form.text("enabled") === "on" }), "Network-level push changed."),
  );
  router.post(
    "/apps/:app_id/settings",
    appChange((form) => settingsPatch(form, defaults), "Settings saved."),
  );
  router.post(
    "/apps/:app_id/webhook/on",
    appChange(() => ({ webhook: { enabled: true } }), "The webhook is back on."),
  );
  router.get("/apps/:app_id/webhook/off", async (req, res) => {
    const appId = req.params.app_id;
    requireAppVisible(res, appId);
    const app = await apps.get(appId);
    if (!app.webhook || app.webhook.disabled) {
      res.redirect(303, `${consoleBase}/apps/${appId}`);
      return;
    }
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
  router.post("/apps/:app_id/apns", appChange(apnsPatch, "APNs key stored."));
  router.post(
    "/apps/:app_id/fcm/remove",
    appChange(() => ({ fcm: null }), "FCM credentials removed."),
  );
  router.post(
    "/apps/:app_id/apns/remove",
    appChange(() => ({ apns: null }), "APNs credentials removed."),
  );

  router.post("/apps/:app_id/secrets/:kind/rotate", async (req, res) => {
    const appId = req.params.app_id;
    requireAppVisible(res, appId);
    const kind = kindOfSlug.get(req.params.kind);
    if (!kind) throw new HttpProblem(404, "not-found", `no secret kind ${req.params.kind}`);
    const rotated = await apps.rotateSecret(appId, kind);
    const until = rotated.previousValidUntil.toISOString();
    res.send(
      secretsOncePage(
        consoleLocals(res),
        await apps.get(appId),
        [{ label: secretLabels[kind].label, value: rotated.secret }],
        `The ${secretLabels[kind].label.toLowerCase()} is rotated; the previous one works until ${until}.`,
      ).text,
    );
  });

  return router;
}
