import { Router } from "express";
import type { AppRepository } from "../../domain/apps/app-repository.js";
import type { Clock } from "../../domain/clock.js";
import type { BrowserSessionRevocations } from "../../http/browser-revocations.js";
import { constantTimeEqual, credentialPrefix } from "../../security/credentials.js";
import { consoleBase, consoleLocals, formOf, startSession } from "../console-auth.js";
import { type ConsoleScope, type ConsoleSessions, keyFingerprint } from "../console-session.js";
import type { SignInLimit } from "../sign-in-limit.js";
import { signInPage } from "../views/sign-in.js";

/** Where the admin pages' sign-out is (the queue dashboard's cookie path). */
export const adminSignOutPath = "/admin/sign-out";

/** Only a console page may be the target after sign-in: no open redirect. */
function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/console\/[\w\-/?=&%.]*$/.test(next) ? next : `${consoleBase}/apps`;
}

async function scopeOf(
  credential: string,
  adminToken: string,
  apps: AppRepository,
  now: Date,
): Promise<ConsoleScope | null> {
  if (constantTimeEqual(credential, adminToken)) return { kind: "admin" };
  if (!credential.startsWith(credentialPrefix.serverKey)) return null;
  const appId = await apps.findIdByServerKey(credential, now);
  return appId ? { kind: "app", appId, keyFingerprint: keyFingerprint(credential) } : null;
}

export function signInRoutes(
  sessions: ConsoleSessions,
  adminToken: string,
  apps: AppRepository,
  revocations: BrowserSessionRevocations,
  clock: Clock,
  limit: SignInLimit,
): Router {
  const router = Router();

  router.get("/sign-in", (req, res) => {
    res.send(signInPage(consoleLocals(res), safeNext(req.query.next)).text);
  });

  router.post("/sign-in", async (req, res) => {
    const form = formOf(res);
    const next = safeNext(form.text("next"));
    const credential = form.text("credential");
    await limit.attempt(req, credential);
    const scope = await scopeOf(credential, adminToken, apps, clock.now());
    if (!scope) {
      await limit.refused(req, credential);
      res
        .status(401)
        .send(
          signInPage(consoleLocals(res), next, "That is neither the admin token nor a valid server key.")
            .text,
        );
      return;
    }
    // A fresh session id on sign-in: a session fixed before it is worth nothing after.
    startSession(req, res, sessions, scope);
    res.redirect(303, next);
  });

  // Ends the session for good (a copied cookie stops working too), then passes through the
  // admin pages' sign-out (307 keeps it a POST) so that the queue dashboard's cookie ends as well.
  router.post("/sign-out", async (req, res) => {
    const { session } = consoleLocals(res);
    await revocations.revoke(session.id, session.expiresAt);
    startSession(req, res, sessions, null);
    res.redirect(307, adminSignOutPath);
  });

  return router;
}
