import { Agent, request as httpRequest } from "node:http";

export interface GatewayAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are read as loose JSON
  body: any;
  /** When the request was sent and when its answer was complete (ms since the epoch, fractional). */
  sentAt: number;
  answeredAt: number;
}

export interface RequestOptions {
  /** An object is sent as JSON; a string as is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** `Authorization: Bearer …`. */
  token?: string;
  timeoutMs?: number;
}

/** A precise wall clock: ms since the epoch with sub-ms resolution. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * HTTP/1.1 with keep-alive to one gateway: lighter per request than fetch, so the load
 * generator spends its share of the two cores on the requests, not on itself.
 */
export class GatewayClient {
  private readonly agent: Agent;
  private readonly target: URL;

  constructor(baseUrl: string, maxSockets = 256) {
    this.target = new URL(baseUrl);
    // Idle sockets are dropped before the gateway's 5 s keep-alive timeout could close one under a request.
    this.agent = new Agent({ keepAlive: true, maxSockets, timeout: 4000 });
  }

  get url(): string {
    return this.target.origin;
  }

  request(method: string, path: string, options: RequestOptions = {}): Promise<GatewayAnswer> {
    const payload =
      options.body === undefined
        ? undefined
        : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body);
    const headers: Record<string, string | number> = { ...options.headers };
    if (payload !== undefined) {
      headers["content-type"] ??= "application/json";
      headers["content-length"] = Buffer.byteLength(payload);
    }
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const sentAt = now();
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          agent: this.agent,
          host: this.target.hostname,
          port: this.target.port,
          method,
          path,
          headers,
          timeout: options.timeoutMs ?? 30_000,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
          incoming.on("error", reject);
          incoming.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const json = /json/.test(String(incoming.headers["content-type"] ?? ""));
            resolve({
              status: incoming.statusCode ?? 0,
              body: json && text ? JSON.parse(text) : text,
              sentAt,
              answeredAt: now(),
            });
          });
        },
      );
      outgoing.on("timeout", () => outgoing.destroy(new Error(`${method} ${path}: no answer in time`)));
      outgoing.on("error", reject);
      outgoing.end(payload);
    });
  }

  /** Like `request`, but anything other than `expected` is an error. */
  async expect(expected: number, method: string, path: string, options?: RequestOptions) {
    const answer = await this.request(method, path, options);
    if (answer.status !== expected) {
      throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    return answer;
  }

  close(): void {
    this.agent.destroy();
  }
}
