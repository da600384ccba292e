import { Agent, type RequestOptions } from "node:https";
import { connect, isIP } from "node:net";
import type { Duplex } from "node:stream";
import type { SecureContext } from "node:tls";
import { pooledConnections } from "../pooled-connections.js";

/**
 * firebase-admin sends to the hard-coded `https://fcm.googleapis.com` through its app's
 * `httpAgent`; this agent connects those requests to `endpoint` instead, over TLS with `secureContext`,
 * or over plain TCP when the endpoint is `http://`.
 */
export class EndpointAgent extends Agent {
  private readonly host: string;
  private readonly port: number;
  private readonly plaintext: boolean;

  constructor(
    endpoint: URL,
    private readonly secureContext: SecureContext | undefined,
  ) {
    super(pooledConnections);
    this.plaintext = endpoint.protocol === "http:";
    this.host = endpoint.hostname.replace(/^\[(.*)\]$/, "$1");
    this.port = Number(endpoint.port) || (this.plaintext ? 80 : 443);
  }

  override createConnection(
    options: RequestOptions,
    callback?: (error: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    if (this.plaintext) return connect({ host: this.host, port: this.port });
    const servername = isIP(this.host) ? undefined : this.host;
    const secureContext = this.secureContext;
    return super.createConnection(
      { ...options, host: this.host, port: this.port, servername, ...(secureContext && { secureContext }) },
      callback,
    );
  }

  /** Every request of this agent goes to the one endpoint: one pool, keyed without the CA list. */
  override getName(): string {
    return `${this.host}:${this.port}`;
  }
}
