import { createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { constantTimeEqual } from "../security/credentials.js";

/** Who a console session acts as: the operator (every app) or one app's server key (that app only). */
export type ConsoleScope = { kind: "admin" } | { kind: "app"; appId: string; keyFingerprint: string };

export interface ConsoleSession {
  /** Random per sign-in (and per anonymous visit): the CSRF token is bound to it. */
  id: string;
  /** Null before sign-in: the sign-in form needs a CSRF token too. */
  scope: ConsoleScope | null;
  expiresAt: number;
}

export const sessionLifetimeSeconds = 8 * 3600;

/** Identifies a server key in a cookie without revealing it, so a session ends with its key. */
export function keyFingerprint(serverKey: string): string {
  return createHash("sha256").update(serverKey).digest("base64url").slice(0, 22);
}

/**
 * Seals and opens session cookies: the payload in clear (it holds no secret), with an HMAC
 * keyed by the gateway's master key and the admin token, so changing either ends every session.
 */
export class ConsoleSessions {
  private readonly key: Buffer;

  constructor(masterKey: Buffer, adminToken: string) {
    this.key = Buffer.from(
      hkdfSync("sha256", masterKey, Buffer.from(adminToken), "pushgate:console-session", 32),
    );
  }

  start(scope: ConsoleScope | null, nowSeconds: number): ConsoleSession {
    return {
      id: randomBytes(16).toString("base64url"),
      scope,
      expiresAt: nowSeconds + sessionLifetimeSeconds,
    };
  }

  seal(session: ConsoleSession): string {
    const payload = Buffer.from(JSON.stringify(session)).toString("base64url");
    return `${payload}.${this.mac(`session:${payload}`)}`;
  }

  open(cookie: string | undefined, nowSeconds: number): ConsoleSession | null {
    const [payload, mac, ...rest] = (cookie ?? "").split(".");
    if (!payload || !mac || rest.length > 0 || !constantTimeEqual(mac, this.mac(`session:${payload}`))) {
      return null;
    }
    const session = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as ConsoleSession;
    return session.expiresAt > nowSeconds ? session : null;
  }

  csrfToken(session: ConsoleSession): string {
    return this.mac(`csrf:${session.id}`);
  }

  private mac(text: string): string {
    return createHmac("sha256", this.key).update(text).digest("base64url");
  }
}
