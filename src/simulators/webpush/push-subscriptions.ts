import { createECDH, type ECDH, randomBytes } from "node:crypto";

/** What `PushSubscription.toJSON()` gives a web app, to hand to its server. */
export interface WebPushSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** The browser's side of a subscription: what it needs to decrypt, and whose key it was made for. */
export interface SubscriptionSecrets {
  endpoint: string;
  agent: ECDH;
  authSecret: Buffer;
  /** The base64url VAPID public key given to `pushManager.subscribe()`, if one was. */
  applicationServerKey?: string;
}

/** The subscriptions of one push service, by the id in their endpoint's path. */
export class PushSubscriptions {
  private readonly byId = new Map<string, SubscriptionSecrets>();

  /** Makes a subscription as a browser does: a P-256 key pair and a 16-byte auth secret. */
  subscribe(origin: string, applicationServerKey?: string): WebPushSubscription {
    const id = randomBytes(24).toString("base64url");
    const agent = createECDH("prime256v1");
    agent.generateKeys();
    const authSecret = randomBytes(16);
    const endpoint = `${origin}/push/${id}`;
    this.byId.set(id, { endpoint, agent, authSecret, applicationServerKey });
    return {
      endpoint,
      keys: { p256dh: agent.getPublicKey().toString("base64url"), auth: authSecret.toString("base64url") },
    };
  }

  find(id: string): SubscriptionSecrets | undefined {
    return this.byId.get(id);
  }
}
