import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import { setTimeout as sleep } from "node:timers/promises";
import { isRecord, parseJson, readBody } from "../http-exchange.js";
import { type ListeningServer, listen } from "../listening-server.js";
import type { ReceivedLog } from "../received-log.js";
import { serverTlsOptions } from "../tls-material.js";
import type { TokenScripts } from "../token-scripts.js";
import { decryptPushMessage } from "./message-decryption.js";
import { checkPushHeaders } from "./push-header-rules.js";
import { sendPushError } from "./push-service-errors.js";
import { PushSubscriptions, type WebPushSubscription } from "./push-subscriptions.js";
import { checkVapidAuthorization } from "./vapid-authorization.js";

export type { WebPushSubscription } from "./push-subscriptions.js";

export interface WebPushSimulatorOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  received: ReceivedLog;
  scripts: TokenScripts;
  /** The simulator's time, in ms since the epoch, against which VAPID JWTs expire. */
  clock: () => number;
}

const pushPath = /^\/push\/([A-Za-z0-9_-]+)$/;
/** RFC 8030 §7.2: a push service must accept at least 4096 bytes, and the vendors' allow no more. */
const maxMessageBytes = 4096;
const maxRequestBytes = 64 * 1024;

/**
 * A push service (RFC 8030) as browser vendors run them: VAPID (RFC 8292) and `aes128gcm`
 * messages (RFC 8291), which it decrypts with the subscription's keys. HTTPS over HTTP/1.1,
 * which is what the `web-push` library speaks.
 */
export class WebPushSimulator {
  readonly name = "webpush";
  private readonly subscriptions = new PushSubscriptions();
  private server?: ListeningServer;

  private constructor(private readonly options: WebPushSimulatorOptions) {}

  static async start(options: WebPushSimulatorOptions): Promise<WebPushSimulator> {
    const simulator = new WebPushSimulator(options);
    const server = createServer(serverTlsOptions(), (request, response) => {
      simulator.handle(request, response).catch((error: unknown) => {
        sendPushError(response, 500, String(error));
      });
    });
    simulator.server = await listen(server, "https", options.host, options.port);
    return simulator;
  }

  /** The push service's origin, the `aud` its VAPID JWTs must name. */
  get url(): string {
    if (!this.server) throw new Error("the Web Push simulator is not started");
    return this.server.url;
  }

  /**
   * Subscribes as `pushManager.subscribe()` does; with an `applicationServerKey` (base64url VAPID
   * public key) only pushes signed by that key are accepted.
   */
  subscribe(options: { applicationServerKey?: string } = {}): WebPushSubscription {
    return this.subscriptions.subscribe(this.url, options.applicationServerKey);
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "https://simulator").pathname;
    const id = pushPath.exec(path)?.[1];
    const subscription = id === undefined ? undefined : this.subscriptions.find(id);
    if (request.method !== "POST" || !subscription) {
      return sendPushError(response, 404, "No such subscription");
    }
    const endpoint = subscription.endpoint;

    const verdict = this.options.scripts.attempt(endpoint);
    if (verdict.kind === "dead") return sendPushError(response, 410, "The subscription has expired");
    if (verdict.kind === "unavailable") {
      const headers =
        verdict.retryAfterSeconds === undefined ? {} : { "retry-after": String(verdict.retryAfterSeconds) };
      const message = verdict.status === 429 ? "Too many requests" : "The push service is unavailable";
      return sendPushError(response, verdict.status, message, headers);
    }

    const vapid = checkVapidAuthorization(request.headers.authorization, this.url, this.options.clock());
    if (!vapid.ok) return sendPushError(response, vapid.status, vapid.message);
    const keyMismatch =
      subscription.applicationServerKey !== undefined &&
      vapid.publicKey !== subscription.applicationServerKey;
    if (keyMismatch || verdict.kind === "foreign") {
      return sendPushError(
        response,
        403,
        "The VAPID key does not match the subscription's applicationServerKey",
      );
    }

    const pushHeaders = checkPushHeaders(request.headers);
    if (!pushHeaders.ok) return sendPushError(response, pushHeaders.status, pushHeaders.message);
    const body = await readBody(request, maxRequestBytes);
    const length = body?.length ?? Number.POSITIVE_INFINITY;
    if (length > 0 && request.headers["content-encoding"] !== "aes128gcm") {
      return sendPushError(response, 415, "Content-Encoding must be aes128gcm");
    }
    if (!body || length > maxMessageBytes) return sendPushError(response, 413, "The message is too large");
    const plaintext = length === 0 ? Buffer.alloc(0) : decryptPushMessage(body, subscription);
    if (!plaintext) return sendPushError(response, 400, "The message does not decrypt");

    if (verdict.delayMs > 0) await sleep(verdict.delayMs);
    this.options.received.add({
      simulator: this.name,
      token: endpoint,
      sender: vapid.subject,
      headers: pushHeaders.headers,
      payload: payloadOf(plaintext),
      receivedAt: new Date(),
    });
    const messageId = randomBytes(16).toString("base64url");
    response.writeHead(201, { location: `${this.url}/m/${messageId}`, "content-length": 0 });
    response.end();
  }
}

function payloadOf(plaintext: Buffer): Record<string, unknown> {
  const json = parseJson(plaintext);
  return isRecord(json) ? json : { raw: plaintext.toString("utf8") };
}
