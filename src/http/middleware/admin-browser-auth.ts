import { createHmac, randomBytes } from "node:crypto";
import { type Request, type RequestHandler, Router } from "express";
import { constantTimeEqual } from "../../security/credentials.js";
import type { BrowserSessionRevocations } from "../browser-revocations.js";
import { HttpProblem } from "../problem.js";
import { bearerToken } from "./auth.js";

export const adminCookieName = "pushgate_admin";
const cookieLifetimeSeconds = 12 * 3600;

/**
 * The cookie carries an expiry, an id (to revoke it at sign-out) and a MAC of both keyed
 * with the admin token, never the token itself: it lapses on its own and stops working when
 * the token changes.
 */
function cookieValue(adminToken: string, expiresAt: number, id: string): string {
  const mac = createHmac("sha256", adminToken)
    .update(`pushgate-admin-cookie:${expiresAt}.${id}`)
    .digest("base64url");
  return `${expiresAt}.${id}.${mac}`;
}

interface AdminCookie {
  expiresAt: number;
  id: string;
}

export function cookieOf(req: Request, name: string): string | undefined {
  for (const pair of req.headers.cookie?.split(";") ?? []) {
    const [key, ...value] = pair.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

function openCookie(adminToken: string, value: string | undefined, nowSeconds: number): AdminCookie | null {
  const [expiry, id] = (value ?? "").split(".");
  const expiresAt = Number(expiry);
  const valid =
    value !== undefined &&
    id !== undefined &&
    Number.isSafeInteger(expiresAt) &&
    expiresAt > nowSeconds &&
    constantTimeEqual(value, cookieValue(adminToken, expiresAt, id));
  return valid ? { expiresAt, id } : null;
}

function unauthorized(): HttpProblem {
  return new HttpProblem(
    401,
    "unauthorized",
    "open this page once as ?token=<admin token>, or send Authorization: Bearer <admin token>",
    {},
    { "WWW-Authenticate": 'Bearer realm="pushgate"' },
  );
}

/**
 * Admin pages a browser navigates to, where no bearer header can be sent. Besides
 * `Authorization: Bearer`, the admin token is accepted once as `?token=`: it is exchanged
 * for an HttpOnly, SameSite=Strict cookie on `cookiePath`, and the browser is sent to the
 * same page without it, which keeps the token out of the history and of Referer headers.
 */
export function requireAdminBrowser(
  adminToken: string,
  cookiePath: string,
  revocations: BrowserSessionRevocations,
): RequestHandler {
  return async (req, res, next) => {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const offered = req.query.token;
    if (offered !== undefined) {
      if (typeof offered !== "string" || !constantTimeEqual(offered, adminToken)) throw unauthorized();
      const expiresAt = nowSeconds + cookieLifetimeSeconds;
      res.cookie(adminCookieName, cookieValue(adminToken, expiresAt, randomBytes(16).toString("base64url")), {
        httpOnly: true,
        sameSite: "strict",
        secure: req.secure,
        path: cookiePath,
        maxAge: cookieLifetimeSeconds * 1000,
      });
      const target = new URL(req.originalUrl, "http://gateway.invalid");
      target.searchParams.delete("token");
      return res.redirect(303, target.pathname + target.search);
    }
    const bearer = bearerToken(req.headers.authorization);
    if (bearer) {
      if (!constantTimeEqual(bearer, adminToken)) throw unauthorized();
      return next();
    }
    const cookie = openCookie(adminToken, cookieOf(req, adminCookieName), nowSeconds);
    if (!cookie || (await revocations.isRevoked(cookie.id))) throw unauthorized();
    next();
  };
}

/**
 * `POST <cookiePath>/sign-out`: ends the admin cookie the browser holds, for good (a copy of
 * it stops working too), then sends the browser on to `then`. The console's sign-out passes
 * through here, so one click ends both.
 */
export function adminBrowserSignOut(
  adminToken: string,
  cookiePath: string,
  revocations: BrowserSessionRevocations,
  then: string,
): Router {
  const router = Router();
  router.post(`${cookiePath}/sign-out`, async (req, res) => {
    const cookie = openCookie(adminToken, cookieOf(req, adminCookieName), Math.floor(Date.now() / 1000));
    if (cookie) await revocations.revoke(cookie.id, cookie.expiresAt);
    res.clearCookie(adminCookieName, { path: cookiePath });
    res.redirect(303, then);
  });
  return router;
}
