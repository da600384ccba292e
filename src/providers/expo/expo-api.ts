import { Agent } from "node:https";
import type { SecureContext } from "node:tls";
import { gzipSync } from "node:zlib";
import got, { type Got } from "got";
import { pooledConnections } from "../pooled-connections.js";

export interface ExpoApiOptions {
  /** Expo's push service origin; default `https://exp.host`. */
  endpoint?: string;
  /** The TLS context for Expo's host (`trustedContext()`); Node's default when absent. */
  secureContext?: SecureContext;
  /** The project's access token, when its push security ("enhanced security") is on. */
  accessToken?: string;
}

/** An answer of Expo's push API, whatever its status. */
export interface ExpoResponse {
  statusCode: number;
  retryAfter?: string;
  body: unknown;
}

/** Expo's SDK compresses request bodies above this size; similar notifications compress well. */
const gzipAboveBytes = 1024;

/** Expo's push API (`/--/api/v2/push/…`) over one keep-alive connection pool. */
export class ExpoApi {
  private readonly agent: Agent;
  private readonly client: Got;

  constructor(private readonly options: ExpoApiOptions) {
    this.agent = new Agent({
      ...pooledConnections,
      ...(options.secureContext && { secureContext: options.secureContext }),
    });
    this.client = got.extend({
      prefixUrl: new URL("/--/api/v2/", options.endpoint ?? "https://exp.host").href,
      agent: { https: this.agent },
      throwHttpErrors: false,
      retry: { limit: 0 },
      timeout: { request: 30_000 },
    });
  }

  /** POSTs `payload` as JSON; rejects only when no answer came (network, timeout). */
  async post(
    path: "push/send" | "push/getReceipts",
    payload: unknown,
    accessToken = this.options.accessToken,
  ): Promise<ExpoResponse> {
    const json = Buffer.from(JSON.stringify(payload));
    const compressed = json.length > gzipAboveBytes;
    const response = await this.client.post(path, {
      body: compressed ? gzipSync(json) : json,
      headers: {
        accept: "application/json",
        "accept-encoding": "gzip, deflate",
        "content-type": "application/json",
        ...(compressed && { "content-encoding": "gzip" }),
        ...(accessToken !== undefined && { authorization: `Bearer ${accessToken}` }),
      },
    });
    return {
      statusCode: response.statusCode,
      retryAfter: response.headers["retry-after"],
      body: parseJson(response.body),
    };
  }

  close(): void {
    this.agent.destroy();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `items` cut into runs of at most `size`, in order. */
export function chunks<T>(items: T[], size: number): T[][] {
  const runs: T[][] = [];
  for (let start = 0; start < items.length; start += size) runs.push(items.slice(start, start + size));
  return runs;
}
