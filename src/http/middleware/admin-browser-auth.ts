import { createHmac } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { constantTimeEqual } from "../../security/credentials.js";
import { HttpProblem } from "../problem.js";
import { bearerToken } from "./auth.js";

export const adminCookieName = "pushgate_admin";
const cookieLifetimeSeconds = 12 * 3600;

/**
 * The cookie carries an expiry and a MAC of it keyed with the admin token, never the
 * token itself: it lapses on its own and stops working when the token changes.
 */
function cookieValue(adminToken: string, expiresAt: number): string {
  const mac = createHmac("sha256", adminToken)
    .update(`pushgate-admin-cookie:${expiresAt}`)
    .digest("base64url");
  return `${expiresAt}.${mac}`;
}

export function cookieOf(req: Request, name: string): string | undefined {
  for (const pair of req.headers.cookie?.split(";") ?? []) {
    const [key, ...value] = pair.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

function isValidCookie(adminToken: string, value: string, nowSeconds: number): boolean {
  const expiresAt = Number(value.split(".")[0]);
  return (
    Number.isSafeInteger(expiresAt) &&
    expiresAt > nowSeconds &&
    constantTimeEqual(value, cookieValue(adminToken, expiresAt))
  );
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
export function requireAdminBrowser(adminToken: string, cookiePath: string): RequestHandler {
  return (req, res, next) => {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const offered = req.query.token;
    if (offered !== undefined) {
      if (typeof offered !== "string" || !constantTimeEqual(offered, adminToken)) throw unauthorized();
      const expiresAt = nowSeconds + cookieLifetimeSeconds;
      res.cookie(adminCookieName, cookieValue(adminToken, expiresAt), {
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
    const cookie = cookieOf(req, adminCookieName);
    const allowed = bearer
      ? constantTimeEqual(bearer, adminToken)
      : cookie !== undefined && isValidCookie(adminToken, cookie, nowSeconds);
    if (!allowed) throw unauthorized();
    next();
  };
}
