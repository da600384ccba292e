import { Router } from "express";
import type { SecretKind } from "../../domain/apps/app.js";
import type { AppPatch, AppService, VariantChange } from "../../domain/apps/app-service.js";
import type { Authenticator } from "../middleware/auth.js";
import { jsonBody } from "../middleware/body.js";
import { presentApp, presentCreatedApp } from "../presenters/app.js";
import { HttpProblem } from "../problem.js";
import { route } from "../routing.js";
import {
  createAppSchema,
  statusCallbackOf,
  type UpdateAppBody,
  updateAppSchema,
  webhookChangeOf,
  webhookSettingsOf,
} from "../schemas/apps.js";

/** A map, not an object: a path's `constructor` or `__proto__` must not find an inherited member. */
export const secretKinds = new Map<string, SecretKind>([
  ["server-key", "server_key"],
  ["event-secret", "event_secret"],
  ["webhook-secret", "webhook_secret"],
]);

type ProviderBlocks = Pick<UpdateAppBody, "fcm" | "apns" | "webpush">;

/** The provider blocks of an app or of one of its variants, as the domain names them; those left out stay. */
function providersOf(body: ProviderBlocks): VariantChange {
  const patch: VariantChange = {};
  if (body.webpush !== undefined) {
    patch.webpush = body.webpush && {
      subject: body.webpush.subject,
      ...(body.webpush.vapid_public_key !== undefined &&
        body.webpush.vapid_private_key !== undefined && {
          keys: { publicKey: body.webpush.vapid_public_key, privateKey: body.webpush.vapid_private_key },
        }),
    };
  }
  if (body.fcm !== undefined) patch.fcm = body.fcm ? body.fcm.service_account : null;
  if (body.apns !== undefined) {
    patch.apns = body.apns && {
      teamId: body.apns.team_id,
      keyId: body.apns.key_id,
      privateKey: body.apns.private_key,
      bundleId: body.apns.bundle_id,
    };
  }
  return patch;
}

/** The app's own provider blocks and its variants' changes. */
function credentialsOf(
  body: ProviderBlocks & Pick<UpdateAppBody, "variants">,
): Pick<AppPatch, "fcm" | "apns" | "webpush" | "variants"> {
  return {
    ...providersOf(body),
    ...(body.variants && {
      variants: Object.fromEntries(
        Object.entries(body.variants).map(([name, variant]) => [name, variant && providersOf(variant)]),
      ),
    }),
  };
}

export interface AppRoutesOptions {
  bodyLimitBytes: number;
  defaultNotificationTtlSeconds: number;
  defaultWebhookTimeoutMs: number;
}

export function appRoutes(apps: AppService, auth: Authenticator, options: AppRoutesOptions): Router {
  const router = Router();
  const json = jsonBody(options.bodyLimitBytes);

  route(router, "/v1/apps", {
    post: [
      auth.requireAdmin,
      json,
      async (req, res) => {
        const body = createAppSchema.parse(req.body);
        const { app, secrets } = await apps.create({
          name: body.name,
          mode: body.mode,
          pushEnabled: body.push_enabled,
          requireAuthToken: body.require_auth_token,
          notificationTtlSeconds: body.notification_ttl_seconds ?? options.defaultNotificationTtlSeconds,
          quietDelivery: body.quiet_delivery,
          badge: body.badge,
          burstWindowSeconds: body.burst_window_seconds,
          defaultLocale: body.default_locale,
          webhook: webhookSettingsOf(body.webhook, options.defaultWebhookTimeoutMs),
          statusCallback: statusCallbackOf(body.status_callback),
          fcm: null,
          apns: null,
          webpush: null,
          variants: {},
          ...credentialsOf(body),
        });
        res.status(201).location(`/v1/apps/${app.id}`).json(presentCreatedApp(app, secrets));
      },
    ],
    get: [
      auth.requireAdmin,
      async (_req, res) => {
        res.json({ apps: (await apps.list()).map(presentApp) });
      },
    ],
  });

  route(router, "/v1/apps/:app_id", {
    get: [
      auth.requireAppAccess,
      async (req, res) => {
        res.json(presentApp(await apps.get(req.params.app_id as string)));
      },
    ],
    patch: [
      auth.requireAppAccess,
      json,
      async (req, res) => {
        const body = updateAppSchema.parse(req.body ?? {});
        const patch: AppPatch = {
          name: body.name,
          mode: body.mode,
          pushEnabled: body.push_enabled,
          requireAuthToken: body.require_auth_token,
          notificationTtlSeconds: body.notification_ttl_seconds,
          quietDelivery: body.quiet_delivery,
          badge: body.badge,
          burstWindowSeconds: body.burst_window_seconds,
          defaultLocale: body.default_locale,
          ...credentialsOf(body),
        };
        if (body.webhook !== undefined) patch.webhook = webhookChangeOf(body.webhook);
        if (body.status_callback !== undefined) patch.statusCallback = statusCallbackOf(body.status_callback);
        for (const key of Object.keys(patch) as (keyof AppPatch)[]) {
          if (patch[key] === undefined) delete patch[key];
        }
        res.json(presentApp(await apps.update(req.params.app_id as string, patch)));
      },
    ],
    delete: [
      auth.requireAdmin,
      async (req, res) => {
        await apps.delete(req.params.app_id as string);
        res.status(204).end();
      },
    ],
  });

  route(router, "/v1/apps/:app_id/secrets/:kind/rotate", {
    post: [
      auth.requireAppAccess,
      async (req, res) => {
        const kind = secretKinds.get(req.params.kind as string);
        if (!kind) {
          throw new HttpProblem(
            404,
            "not-found",
            `no secret kind ${req.params.kind}; use ${[...secretKinds.keys()].join(", ")}`,
          );
        }
        const rotated = await apps.rotateSecret(req.params.app_id as string, kind);
        res.json({ secret: rotated.secret, previous_valid_until: rotated.previousValidUntil.toISOString() });
      },
    ],
  });

  return router;
}
