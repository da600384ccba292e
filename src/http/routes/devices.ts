import { type RequestHandler, Router } from "express";
import type { DeviceRegistration, Platform, PushToken } from "../../domain/devices/device.js";
import { platformOf } from "../../domain/devices/device.js";
import type { DeviceService, OwnTokensScope } from "../../domain/devices/device-service.js";
import { type Authenticator, authenticationProblems, clientAppOf, sessionOf } from "../middleware/auth.js";
import { jsonBody } from "../middleware/body.js";
import { presentDeviceTokens } from "../presenters/device-tokens.js";
import { route } from "../routing.js";
import {
  type RegisterDeviceBody,
  registerDeviceSchema,
  type SyncDevicesBody,
  syncDevicesSchema,
  unregisterDeviceSchema,
  unregisterOwnDevicesSchema,
} from "../schemas/devices.js";

function registrationOf(body: RegisterDeviceBody | SyncDevicesBody): DeviceRegistration {
  return {
    deviceId: "device_id" in body ? (body.device_id ?? null) : null,
    // The schemas refuse a platform the provider does not serve.
    platform: platformOf(body.provider, body.platform) as Platform,
    // The schemas ask a webpush registration for its subscription, any other for its token.
    token: body.subscription
      ? { provider: body.provider, token: body.subscription.endpoint, keys: body.subscription.keys }
      : { provider: body.provider, token: body.token as string },
    voip:
      "voip_provider" in body && body.voip_provider && body.voip_token
        ? { provider: body.voip_provider, token: body.voip_token }
        : null,
    locale: body.locale ?? null,
    variant: body.variant ?? null,
  };
}

export interface DeviceRoutesOptions {
  bodyLimitBytes: number;
  writeLimit: RequestHandler;
  /** Unregistration with the API key alone, per client address. */
  unregisterLimit: RequestHandler;
}

/** The device registry as mobile and web clients use it (docs/api.md §5). */
export function deviceRoutes(
  devices: DeviceService,
  auth: Authenticator,
  options: DeviceRoutesOptions,
): Router {
  const router = Router();
  const json = jsonBody(options.bodyLimitBytes);
  const write = [auth.requireSession, options.writeLimit, json];

  route(router, "/v1/users/@me/devices", {
    post: [
      ...write,
      async (req, res) => {
        await devices.register(sessionOf(req), registrationOf(registerDeviceSchema.parse(req.body)));
        res.status(204).end();
      },
    ],
    get: [
      auth.requireSession,
      async (req, res) => {
        res.json(presentDeviceTokens(await devices.list(sessionOf(req))));
      },
    ],
    delete: [
      ...write,
      async (req, res) => {
        const body = unregisterOwnDevicesSchema.parse(req.body);
        const scope: OwnTokensScope =
          body?.provider && body.token
            ? { token: { provider: body.provider, token: body.token } }
            : { all: body?.all ?? false };
        await devices.unregisterOwn(sessionOf(req), scope);
        res.status(204).end();
      },
    ],
  });

  route(router, "/v1/users/@me/devices/sync-token", {
    get: [
      auth.requireSession,
      async (req, res) => {
        res.json({ token: await devices.issueSyncToken(sessionOf(req)) });
      },
    ],
  });

  route(router, "/v1/users/@me/devices/sync", {
    put: [
      ...write,
      async (req, res) => {
        const body = syncDevicesSchema.parse(req.body);
        const invalid = await devices.sync(sessionOf(req), registrationOf(body), body.push_sync_tokens);
        res.json({ invalid_push_sync_tokens: invalid });
      },
    ],
  });

  route(router, "/v1/devices/unregister", {
    post: [
      auth.requireApiKey,
      options.unregisterLimit,
      json,
      async (req, res) => {
        const body = unregisterDeviceSchema.parse(req.body);
        const target =
          body.device_id !== undefined
            ? { deviceId: body.device_id }
            : ({ provider: body.provider, token: body.token } as PushToken);
        const unregistered = await devices.unregister(clientAppOf(req).id, target, body.user_id ?? null);
        res.json({ unregistered });
      },
    ],
  });

  router.use(authenticationProblems);
  return router;
}
