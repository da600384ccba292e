import type { SecureContext } from "node:tls";
import { type AppOptions, cert, deleteApp, type App as FirebaseApp, initializeApp } from "firebase-admin/app";
import { getMessaging, type Messaging } from "firebase-admin/messaging";
import type { App, FcmServiceAccount } from "../../domain/apps/app.js";
import type { Logger } from "../../observability/logger.js";
import { EndpointAgent } from "./endpoint-agent.js";
import { EndpointCredential } from "./endpoint-credential.js";

export interface FcmAppsOptions {
  /** Replaces Google's FCM and OAuth2 hosts (`FCM_ENDPOINT`). */
  endpoint?: string;
  /** The TLS context for the endpoint (`trustedContext()`). */
  secureContext?: SecureContext;
  logger: Logger;
}

interface Entry {
  updatedAt: number;
  firebaseApp: FirebaseApp;
  messaging: Messaging;
}

/**
 * One long-lived firebase-admin app per Pushgate app, built from that app's service account
 * only, and rebuilt when the app changes (its credentials may have): `updatedAt` moves on.
 */
export class FcmApps {
  private readonly entries = new Map<string, Entry>();
  private readonly endpoint: URL | undefined;
  private readonly agent: EndpointAgent | undefined;

  constructor(private readonly options: FcmAppsOptions) {
    this.endpoint = options.endpoint === undefined ? undefined : new URL(options.endpoint);
    this.agent = this.endpoint && new EndpointAgent(this.endpoint, options.secureContext);
  }

  /** Throws when the service account is unusable (e.g. its private key does not parse). */
  messaging(app: App, serviceAccount: FcmServiceAccount): Messaging {
    const updatedAt = app.updatedAt.getTime();
    const current = this.entries.get(app.id);
    // A job holding an older copy of the app uses the newer credentials already in place.
    if (current && current.updatedAt >= updatedAt) return current.messaging;
    if (current) {
      this.entries.delete(app.id);
      this.retire(current.firebaseApp);
    }
    const firebaseApp = initializeApp(this.appOptions(serviceAccount), `pushgate:${app.id}:${updatedAt}`);
    const entry = { updatedAt, firebaseApp, messaging: getMessaging(firebaseApp) };
    this.entries.set(app.id, entry);
    return entry.messaging;
  }

  async close(): Promise<void> {
    const apps = [...this.entries.values()].map((entry) => entry.firebaseApp);
    this.entries.clear();
    await Promise.all(apps.map((firebaseApp) => deleteApp(firebaseApp)));
    this.agent?.destroy();
  }

  private appOptions(serviceAccount: FcmServiceAccount): AppOptions {
    if (!this.endpoint) {
      return {
        credential: cert({
          projectId: serviceAccount.project_id,
          clientEmail: serviceAccount.client_email,
          privateKey: serviceAccount.private_key,
        }),
      };
    }
    const tokenUrl = new URL("/token", this.endpoint).href;
    return {
      credential: new EndpointCredential(serviceAccount, tokenUrl, this.agent),
      // firebase-admin learns the project from `cert()` credentials only.
      projectId: serviceAccount.project_id,
      httpAgent: this.agent,
    };
  }

  private retire(firebaseApp: FirebaseApp): void {
    deleteApp(firebaseApp).catch((error: unknown) => {
      this.options.logger.warn({ err: error, app: firebaseApp.name }, "could not delete a replaced FCM app");
    });
  }
}
