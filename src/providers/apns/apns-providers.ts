import type { SecureContext } from "node:tls";
import apn from "@parse/node-apn";
import type { ApnsCredentials, App } from "../../domain/apps/app.js";
import { Limiter } from "../limiter.js";

export type ApnsEnvironment = "production" | "sandbox";

export interface ApnsProvidersOptions {
  /** `https://host:port` per environment; Apple's hosts when absent. */
  endpoints: Partial<Record<ApnsEnvironment, string>>;
  /** One for every connection (`trustedContext()`): given as `ca`, each connection parsed the CA list again. */
  secureContext?: SecureContext;
  /** Requests in flight at once on one connection. */
  maxStreamsInFlight: number;
}

/** A connection to APNs with the credentials of one app, and the bound on its streams. */
export interface ApnsConnection {
  provider: apn.Provider;
  streams: Limiter;
}

interface Entry extends ApnsConnection {
  updatedAt: number;
}

/**
 * One long-lived `apn.Provider` (one HTTP/2 connection) per app and environment, built from that
 * app's key only, and rebuilt when the app changes (its credentials may have).
 */
export class ApnsProviders {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: ApnsProvidersOptions) {}

  /** Throws when the credentials are unusable (e.g. the key does not parse). */
  connection(app: App, credentials: ApnsCredentials, environment: ApnsEnvironment): ApnsConnection {
    const key = `${app.id}:${environment}`;
    const updatedAt = app.updatedAt.getTime();
    const current = this.entries.get(key);
    // A job holding an older copy of the app uses the newer credentials already in place.
    if (current && current.updatedAt >= updatedAt) return current;
    if (current) {
      this.entries.delete(key);
      void shutdown(current.provider);
    }
    const entry = {
      updatedAt,
      provider: new apn.Provider(this.providerOptions(credentials, environment)),
      streams: new Limiter(this.options.maxStreamsInFlight),
    };
    this.entries.set(key, entry);
    return entry;
  }

  async close(): Promise<void> {
    const providers = [...this.entries.values()].map((entry) => entry.provider);
    this.entries.clear();
    await Promise.all(providers.map(shutdown));
  }

  private providerOptions(credentials: ApnsCredentials, environment: ApnsEnvironment): apn.ProviderOptions {
    const endpoint = this.options.endpoints[environment];
    const url = endpoint === undefined ? undefined : new URL(endpoint);
    return {
      token: { key: credentials.privateKey, keyId: credentials.keyId, teamId: credentials.teamId },
      // Without it node-apn picks the environment from NODE_ENV.
      production: environment === "production",
      ...(url && { address: url.hostname, port: Number(url.port) || 443 }),
      ...(this.options.secureContext && { secureContext: this.options.secureContext }),
      // The delivery pipeline retries with backoff; node-apn would retry 429/5xx at once, as it
      // never sees `Retry-After` (it reads the header under a capitalised name HTTP/2 never uses).
      connectionRetryLimit: 0,
    };
  }
}

/** `Provider.shutdown()` returns nothing despite its typings; only the callback says when it is done. */
function shutdown(provider: apn.Provider): Promise<void> {
  return new Promise((resolve) => {
    provider.shutdown(resolve);
  });
}
