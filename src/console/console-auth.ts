import type { Request, RequestHandler, Response } from "express";
import type { AppRepository } from "../domain/apps/app-repository.js";
import type { Clock } from "../domain/clock.js";
import type { BrowserSessionRevocations } from "../http/browser-revocations.js";
import { cookieOf } from "../http/middleware/admin-browser-auth.js";
import { HttpProblem } from "../http/problem.js";
import { constantTimeEqual } from "../security/credentials.js";
import {
  type ConsoleSession,
  type ConsoleSessions,
  keyFingerprint,
  sessionLifetimeSeconds,
} from "./console-session.js";
import type { Flash } from "./flash.js";
import { type ConsoleForm, readForm } from "./form-body.js";

export const consoleBase = "/console";
const cookieName = "pushgate_console";

/** What a console request knows about its visitor, in `res.locals`. */
export interface ConsoleLocals {
  session: ConsoleSession;
  csrfToken: string;
  /** The parsed form of a POST, after its CSRF token was checked. */
  form?: ConsoleForm;
  /** The outcome of the POST that redirected here, shown by this page only. */
  flash?: Flash;
}

export function consoleLocals(res: Response): ConsoleLocals {
  return res.locals.console as ConsoleLocals;
}

/** The form of a POST that passed `checkCsrf`. */
export function formOf(res: Response): ConsoleForm {
  const form = consoleLocals(res).form;
  if (!form) throw new Error("route is missing the console's POST middleware");
  return form;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function setSessionCookie(req: Request, res: Response, sessions: ConsoleSessions, session: ConsoleSession) {
  res.cookie(cookieName, sessions.seal(session), {
    httpOnly: true,
    sameSite: "strict",
    secure: req.secure,
    path: consoleBase,
    maxAge: sessionLifetimeSeconds * 1000,
  });
  res.locals.console = { session, csrfToken: sessions.csrfToken(session) } satisfies ConsoleLocals;
}

export function startSession(
  req: Request,
  res: Response,
  sessions: ConsoleSessions,
  scope: ConsoleSession["scope"],
): void {
  setSessionCookie(req, res, sessions, sessions.start(scope, nowSeconds()));
}

/**
 * A server-key session lasts only while its key verifies: rotated out and past the
 * overlap, the session is over too.
 */
async function stillValid(session: ConsoleSession, apps: AppRepository, clock: Clock): Promise<boolean> {
  const scope = session.scope;
  if (scope?.kind !== "app") return true;
  const keys = await apps.activeSecrets(scope.appId, "server_key", clock.now());
  return keys.some((key) => keyFingerprint(key.value) === scope.keyFingerprint);
}

/** Every console request has a session: an anonymous one until sign-in, so the sign-in form has a CSRF token. */
export function loadSession(
  sessions: ConsoleSessions,
  apps: AppRepository,
  revocations: BrowserSessionRevocations,
  clock: Clock,
): RequestHandler {
  return async (req, res, next) => {
    const session = sessions.open(cookieOf(req, cookieName), nowSeconds());
    if (session && !(await revocations.isRevoked(session.id)) && (await stillValid(session, apps, clock))) {
      res.locals.console = { session, csrfToken: sessions.csrfToken(session) } satisfies ConsoleLocals;
    } else {
      startSession(req, res, sessions, null);
    }
    next();
  };
}

/**
 * Every POST carries the session's CSRF token (form field `_csrf`, or `X-CSRF-Token` from
 * htmx): SameSite=Strict alone does not cover same-site attackers or older browsers.
 */
export function checkCsrf(bodyLimitBytes: number): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== "POST") return next();
    const locals = consoleLocals(res);
    const form = await readForm(req, bodyLimitBytes);
    const offered = req.header("x-csrf-token") ?? form.text("_csrf");
    if (!offered || !constantTimeEqual(offered, locals.csrfToken)) {
      throw new HttpProblem(
        403,
        "csrf",
        "the form is stale or was not sent by this console; reload the page",
      );
    }
    locals.form = form;
    next();
  };
}

export const requireSignedIn: RequestHandler = (req, res, next) => {
  if (consoleLocals(res).session.scope) return next();
  if (req.method === "GET") {
    return res.redirect(303, `${consoleBase}/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
  }
  throw new HttpProblem(401, "unauthorized", "sign in to the console first");
};

export function isAdmin(res: Response): boolean {
  return consoleLocals(res).session.scope?.kind === "admin";
}

/** 404 for an app the session may not see, as the API answers another app's key. */
export function requireAppVisible(res: Response, appId: string): void {
  const scope = consoleLocals(res).session.scope;
  if (scope?.kind === "admin" || (scope?.kind === "app" && scope.appId === appId)) return;
  throw new HttpProblem(404, "not-found", `app ${appId} does not exist`);
}

export function requireAdminSession(res: Response): void {
  if (!isAdmin(res)) throw new HttpProblem(403, "forbidden", "only the operator (admin token) may do this");
}
