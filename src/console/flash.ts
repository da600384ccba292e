import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";
import { cookieOf } from "../http/middleware/admin-browser-auth.js";
import { consoleBase, consoleLocals } from "./console-auth.js";

/** A secret shown once, beside its copy button. */
export interface ShownSecret {
  label: string;
  value: string;
}

/** One device's answer to a test notification, as the page after it lists them. */
export interface TestAnswer {
  deviceId: string | null;
  provider: string;
  tokenTail: string;
  outcome: string;
  providerStatus: string | null;
  providerError: string | null;
}

/** What the page after a POST tells: the outcome, and what only that page may show. */
export interface Flash {
  notice: string;
  secrets?: ShownSecret[];
  test?: { wouldSuppress: string | null; devices: TestAnswer[]; devicesLeftOut: number };
}

interface SealedFlash extends Flash {
  sessionId: string;
  expiresAt: number;
}

const cookieName = "pushgate_console_flash";
/** Long enough for the redirect that follows the POST, short enough that a forgotten one is gone. */
const lifetimeSeconds = 60;

/**
 * Carries a POST's outcome across its 303 in an encrypted cookie (AES-256-GCM, key derived from
 * the master key): a secret in it is unreadable to anyone holding the cookie, works on every
 * gateway instance, and is shown by the next page only, then the cookie is cleared.
 */
export class FlashCookies {
  private readonly key: Buffer;

  constructor(masterKey: Buffer, adminToken: string) {
    this.key = Buffer.from(
      hkdfSync("sha256", masterKey, Buffer.from(adminToken), "pushgate:console-flash", 32),
    );
  }

  /** Sets the flash the page after the redirect shows. */
  set(req: Request, res: Response, flash: Flash): void {
    const sealed: SealedFlash = {
      ...flash,
      sessionId: consoleLocals(res).session.id,
      expiresAt: Date.now() + lifetimeSeconds * 1000,
    };
    res.cookie(cookieName, this.seal(sealed), {
      httpOnly: true,
      sameSite: "strict",
      secure: req.secure,
      path: consoleBase,
      maxAge: lifetimeSeconds * 1000,
    });
  }

  /** Post/Redirect/Get: the answer to a POST that worked, so that a reload repeats nothing. */
  redirect(req: Request, res: Response, location: string, flash: Flash): void {
    this.set(req, res, flash);
    res.redirect(303, location);
  }

  /**
   * Takes the flash for the page being shown, once: the cookie is cleared in the same answer,
   * so a reload shows nothing. htmx's background requests leave it for the page it belongs to.
   */
  take(): RequestHandler {
    return (req, res, next) => {
      const cookie = cookieOf(req, cookieName);
      if (req.method !== "GET" || req.header("hx-request") || !cookie) return next();
      res.clearCookie(cookieName, {
        path: consoleBase,
        httpOnly: true,
        sameSite: "strict",
        secure: req.secure,
      });
      const flash = this.open(cookie);
      const locals = consoleLocals(res);
      if (flash && flash.sessionId === locals.session.id && flash.expiresAt > Date.now()) {
        const { sessionId: _bound, expiresAt: _checked, ...shown } = flash;
        locals.flash = shown;
      }
      next();
    };
  }

  private seal(flash: SealedFlash): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(flash), "utf8"), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
  }

  private open(cookie: string): SealedFlash | null {
    try {
      const bytes = Buffer.from(cookie, "base64url");
      const decipher = createDecipheriv("aes-256-gcm", this.key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      const text = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
      return JSON.parse(text) as SealedFlash;
    } catch {
      return null;
    }
  }
}
