import webPush from "web-push";
import type { VapidCredentials } from "./webpush-sender.js";

/** A token is signed for two hours and used for one: it never expires on its way. */
const validForSeconds = 2 * 3600;
const reusedForMs = 3600_000;
/** Apps × push services; past this many, the oldest are forgotten (and signed again when needed). */
const maxEntries = 10_000;

interface Entry {
  authorization: string;
  renewAt: number;
}

/**
 * The `Authorization: vapid t=…, k=…` header of an app for a push service (RFC 8292), signed once
 * and reused: an ES256 signature per notification was most of a Web Push send's CPU time, and
 * RFC 8292 §2 lets a token serve many requests to the same push service.
 */
export class VapidTokens {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: () => number = Date.now) {}

  authorization(credentials: VapidCredentials, endpoint: string): string {
    const audience = new URL(endpoint).origin;
    const key = `${credentials.publicKey}\n${credentials.subject}\n${audience}`;
    const now = this.clock();
    const cached = this.entries.get(key);
    if (cached && cached.renewAt > now) return cached.authorization;
    const { Authorization } = webPush.getVapidHeaders(
      audience,
      credentials.subject,
      credentials.publicKey,
      credentials.privateKey,
      "aes128gcm",
      Math.floor(now / 1000) + validForSeconds,
    );
    this.entries.delete(key);
    if (this.entries.size >= maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { authorization: Authorization, renewAt: now + reusedForMs });
    return Authorization;
  }
}
