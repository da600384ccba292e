import type { ErrorRequestHandler, Request, RequestHandler } from "express";
import type { App } from "../../domain/apps/app.js";
import type { AppRepository } from "../../domain/apps/app-repository.js";
import type { Clock } from "../../domain/clock.js";
import { AuthenticationError, type Session } from "../../domain/sessions/session.js";
import type { SessionRepository } from "../../domain/sessions/session-repository.js";
import { constantTimeEqual, credentialPrefix } from "../../security/credentials.js";
import { HttpProblem } from "../problem.js";
import type { Principal } from "../request-context.js";

export function bearerToken(header: string | undefined): string | null {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1] ?? null;
}

function unauthorized(detail: string): HttpProblem {
  return new HttpProblem(401, "unauthorized", detail, {}, { "WWW-Authenticate": 'Bearer realm="pushgate"' });
}

function notFound(appId: string): HttpProblem {
  return new HttpProblem(404, "not-found", `app ${appId} does not exist`);
}

export interface Authenticator {
  requireAdmin: RequestHandler;
  /** Admin, or the server key of the app named by `:app_id`; another app's key gets 404. */
  requireAppAccess: RequestHandler;
  /** The public `X-Api-Key` of a mobile or web client. */
  requireApiKey: RequestHandler;
  /** A signed-in client: `Authorization: Bearer sess_…`. */
  requireSession: RequestHandler;
}

export function createAuthenticator(
  adminToken: string,
  apps: AppRepository,
  sessions: SessionRepository,
  clock: Clock,
): Authenticator {
  const isAdmin = (token: string) => constantTimeEqual(token, adminToken);

  const requireAdmin: RequestHandler = (req, _res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (!token) throw unauthorized("send the admin token as Authorization: Bearer <token>");
    if (!isAdmin(token)) throw unauthorized("this route needs the admin token");
    req.principal = { kind: "admin" };
    next();
  };

  const requireAppAccess: RequestHandler = async (req, _res, next) => {
    const appId = String(req.params.app_id);
    const token = bearerToken(req.headers.authorization);
    if (!token)
      throw unauthorized("send the app's server key (or the admin token) as Authorization: Bearer …");
    let principal: Principal;
    if (isAdmin(token)) {
      // The operator may name any app, so the app must exist: a server key proves its own.
      if (!(await apps.findById(appId))) throw notFound(appId);
      principal = { kind: "admin" };
    } else if (token.startsWith(credentialPrefix.serverKey)) {
      const keyAppId = await apps.findIdByServerKey(token, clock.now());
      if (!keyAppId) throw unauthorized("unknown or expired server key");
      if (keyAppId !== appId) throw notFound(appId);
      principal = { kind: "server", appId };
    } else {
      throw unauthorized("unknown credential: this route takes a server key (sk_…) or the admin token");
    }
    req.principal = principal;
    next();
  };

  const requireApiKey: RequestHandler = async (req, _res, next) => {
    const apiKey = req.header("x-api-key");
    if (!apiKey) throw unauthorized("send the app's API key as X-Api-Key: pk_…");
    const app: App | null = await apps.findByApiKey(apiKey);
    if (!app) throw unauthorized("unknown API key");
    req.principal = { kind: "client", app };
    next();
  };

  const requireSession: RequestHandler = async (req, _res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (!token) throw unauthorized("send the session token as Authorization: Bearer sess_…");
    if (!token.startsWith(credentialPrefix.session)) {
      throw unauthorized("this route takes a session token (sess_…) from POST /v1/sessions");
    }
    const session = await sessions.findByToken(token, clock.now());
    if (!session) throw unauthorized("unknown or expired session token; sign in again");
    req.principal = { kind: "session", session };
    next();
  };

  return { requireAdmin, requireAppAccess, requireApiKey, requireSession };
}

/** The app of a request that passed `requireApiKey`. */
export function clientAppOf(req: Request): App {
  if (req.principal?.kind !== "client") throw new Error("route is missing requireApiKey");
  return req.principal.app;
}

/** The session of a request that passed `requireSession`. */
export function sessionOf(req: Request): Session {
  if (req.principal?.kind !== "session") throw new Error("route is missing requireSession");
  return req.principal.session;
}

/** Answers 401 for credentials the domain refused (an auth token, an ended session). */
export const authenticationProblems: ErrorRequestHandler = (error, _req, _res, next) => {
  next(error instanceof AuthenticationError ? unauthorized(error.message) : error);
};
