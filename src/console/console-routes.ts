import express, { type ErrorRequestHandler, Router } from "express";
import helmet from "helmet";
import type { AppService } from "../domain/apps/app-service.js";
import type { Clock } from "../domain/clock.js";
import { NotFoundError } from "../domain/errors.js";
import type { BrowserSessionRevocations } from "../http/browser-revocations.js";
import { requestFields } from "../http/middleware/request-log.js";
import { HttpProblem } from "../http/problem.js";
import type { EventReplayer } from "../pipeline/replay-events.js";
import type { TestNotifications } from "../pipeline/test-notification.js";
import { QueuedRetries } from "../queue/queued-retries.js";
import { queueNames } from "../queue/queues.js";
import type { RoleContext } from "../runtime/role-context.js";
import type { Store } from "../storage/store.js";
import type { AppDefaults } from "./app-form.js";
import { checkCsrf, consoleBase, consoleLocals, loadSession, requireSignedIn } from "./console-auth.js";
import { ConsoleSessions } from "./console-session.js";
import { FlashCookies } from "./flash.js";
import { MetricsSampler } from "./live/metrics-sampler.js";
import { appRoutes } from "./routes/apps.js";
import { assetRoutes } from "./routes/assets.js";
import { eventRoutes } from "./routes/events.js";
import { liveRoutes } from "./routes/live.js";
import { signInRoutes } from "./routes/sign-in.js";
import { templateRoutes } from "./routes/templates.js";
import { type BadgeReader, userRoutes } from "./routes/users.js";
import { loadSampleEvents } from "./sample-events.js";
import { defaultSignInLimits, SignInLimit, type SignInLimitOptions } from "./sign-in-limit.js";
import { storableInput } from "./storable-input.js";
import { errorPage } from "./views/error.js";

export interface ConsoleDeps {
  apps: AppService;
  store: Store;
  badges: BadgeReader;
  replayer: EventReplayer;
  tests: TestNotifications;
  /** Spends a test notification of the user's budget (the API's), or throws a 429. */
  testLimit: (appId: string, userId: string) => Promise<void>;
  sampler: MetricsSampler;
  adminToken: string;
  masterKey: Buffer;
  bodyLimitBytes: number;
  defaults: AppDefaults;
  /** How often a webhook its failures turned off is still called, as the app page tells. */
  webhookProbeIntervalSeconds: number;
  /** How long a rotated secret keeps working, as the rotation's confirmation says. */
  rotationOverlapSeconds: number;
  revocations: BrowserSessionRevocations;
  replayBulkMax: number;
  /** When an in-flight event's next retry is due, from the queues. */
  retries: Pick<QueuedRetries, "soonest">;
  clock: Clock;
  signInLimits?: SignInLimitOptions;
  /** `TRUST_PROXY`: a sub-app mounted on a router inherits none of the gateway's settings. */
  trustProxy: boolean | number | string[];
}

/** Only the gateway's own scripts and styles: no inline code, no other origin. */
const strictPolicy = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
  },
});

/** Failures become console pages, not problem+json: a person is reading. */
const consoleErrors: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  if (res.headersSent) return;
  let status = 500;
  let detail = "The console failed to handle this request; see the gateway's log.";
  if (error instanceof HttpProblem) {
    status = error.status;
    detail = error.message;
  } else if (error instanceof NotFoundError) {
    status = 404;
    detail = error.message;
  } else {
    req.log.error({ err: error, ...requestFields(req) }, "console request failed");
  }
  if (error instanceof HttpProblem) res.set(error.headers);
  if (!res.locals.console) {
    res.status(status).type("text/plain").send(detail);
    return;
  }
  const title =
    status === 404
      ? "Not found"
      : status === 403
        ? "Not allowed"
        : status === 429
          ? "Too many attempts"
          : status < 500
            ? "Refused"
            : "Error";
  res.status(status).send(errorPage(consoleLocals(res), title, detail).text);
};

/** The operator console at `/console` (issue 10): server-rendered pages, htmx for live parts. */
export function consoleRoutes(deps: ConsoleDeps): Router {
  const sessions = new ConsoleSessions(deps.masterKey, deps.adminToken);
  const flash = new FlashCookies(deps.masterKey, deps.adminToken);
  // A sub-app, like the queue dashboard: HTML pages, not operations of the JSON API.
  const pages = express();
  pages.disable("x-powered-by");
  // Else a sign-in's client (its limit's key) is the proxy, and cookies miss `Secure` behind TLS.
  pages.set("trust proxy", deps.trustProxy);
  pages.use(strictPolicy, (_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });
  pages.use(assetRoutes());
  pages.use(
    loadSession(sessions, deps.store.apps, deps.revocations, deps.clock),
    storableInput,
    checkCsrf(deps.bodyLimitBytes),
    flash.take(),
  );
  pages.use(
    signInRoutes(
      sessions,
      deps.adminToken,
      deps.store.apps,
      deps.revocations,
      deps.clock,
      new SignInLimit(deps.signInLimits ?? defaultSignInLimits),
    ),
  );
  pages.get("/", (_req, res) => res.redirect(303, `${consoleBase}/apps`));
  pages.use(requireSignedIn);
  pages.use(
    appRoutes(deps.apps, flash, {
      defaults: deps.defaults,
      probeIntervalSeconds: deps.webhookProbeIntervalSeconds,
      rotationOverlapSeconds: deps.rotationOverlapSeconds,
    }),
  );
  pages.use(
    eventRoutes({
      apps: deps.apps,
      events: deps.store.events,
      deliveries: deps.store.deviceDeliveries,
      replayer: deps.replayer,
      replayBulkMax: deps.replayBulkMax,
      retries: deps.retries,
    }),
  );
  pages.use(userRoutes(deps.apps, deps.store, deps.badges, deps.tests, flash, deps.testLimit));
  pages.use(
    templateRoutes({
      apps: deps.apps,
      templates: deps.store.templates,
      samples: loadSampleEvents(),
      clock: deps.clock,
      flash,
    }),
  );
  pages.use(liveRoutes(deps.sampler, deps.apps, deps.store.events));
  pages.use(() => {
    throw new HttpProblem(404, "not-found", "There is no such console page.");
  });
  pages.use(consoleErrors);

  // Browsers ask for it at the root whatever the page links; like the pages, it is no API route.
  const icon = express();
  icon.disable("x-powered-by");
  icon.get("/", (_req, res) => res.redirect(301, `${consoleBase}/assets/favicon.svg`));
  const router = Router();
  router.use("/favicon.ico", icon);
  router.use(consoleBase, pages);
  return router;
}

/** The console of an `api` process, with its live-view sampler stopped when the process closes. */
export function operatorConsole(
  context: RoleContext,
  apps: AppService,
  replayer: EventReplayer,
  revocations: BrowserSessionRevocations,
  badges: BadgeReader,
  tests: TestNotifications,
  testLimit: (appId: string, userId: string) => Promise<void>,
): Router {
  const sampler = new MetricsSampler(context.metrics.registry);
  sampler.start();
  const general = context.resources.connect("general");
  context.resources.onClose(async () => sampler.stop());
  return consoleRoutes({
    apps,
    store: context.store,
    badges,
    replayer,
    tests,
    testLimit,
    sampler,
    adminToken: context.adminToken,
    masterKey: context.masterKey,
    bodyLimitBytes: context.settings.HTTP_BODY_LIMIT_BYTES,
    revocations,
    replayBulkMax: context.settings.EVENT_REPLAY_BULK_MAX,
    retries: new QueuedRetries(
      [queueNames.webhooks, queueNames.deliveries].map((name) => context.resources.queue(name, general)),
    ),
    clock: context.clock,
    defaults: {
      notificationTtlSeconds: context.settings.DEFAULT_NOTIFICATION_TTL_SECONDS,
      webhookTimeoutMs: context.settings.WEBHOOK_DEFAULT_TIMEOUT_MS,
    },
    webhookProbeIntervalSeconds: context.settings.WEBHOOK_PROBE_INTERVAL_SECONDS,
    rotationOverlapSeconds: context.settings.SECRET_ROTATION_OVERLAP_SECONDS,
    trustProxy: context.settings.TRUST_PROXY,
  });
}
