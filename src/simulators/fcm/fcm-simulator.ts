import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { createSecureServer } from "node:http2";
import { setTimeout as sleep } from "node:timers/promises";
import { isFcmRegistrationToken } from "../device-tokens.js";
import {
  parseJson,
  readBody,
  type SimulatorRequest,
  type SimulatorResponse,
  sendJson,
} from "../http-exchange.js";
import { type ListeningServer, listen } from "../listening-server.js";
import type { ReceivedLog } from "../received-log.js";
import { serverTlsOptions } from "../tls-material.js";
import type { TokenScripts } from "../token-scripts.js";
import { checkSendRequest } from "./fcm-message-rules.js";
import { fcmError, googleError, invalidArgument } from "./google-errors.js";
import { type FcmServiceAccountRegistration, OAuthTokenService } from "./oauth-token-service.js";

export interface FcmSimulatorOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Plain HTTP/1.1 instead of TLS (HTTP/2 with HTTP/1.1 fallback), for an `http://` `FCM_ENDPOINT`. */
  plaintext?: boolean;
  received: ReceivedLog;
  scripts: TokenScripts;
  /** The simulator's time, in ms since the epoch, against which assertions and access tokens age. */
  clock: () => number;
}

const sendPath = /^\/v1\/projects\/([^/]+)\/messages:send$/;
const maxRequestBytes = 1024 * 1024;

/**
 * FCM HTTP v1 and Google's OAuth2 token endpoint on one origin, as `FCM_ENDPOINT` expects.
 * TLS serves HTTP/2 and HTTP/1.1: firebase-admin's `send()` speaks HTTP/1.1.
 */
export class FcmSimulator {
  readonly name = "fcm";
  private readonly tokens: OAuthTokenService;
  private server?: ListeningServer;

  private constructor(private readonly options: FcmSimulatorOptions) {
    this.tokens = new OAuthTokenService(options.clock);
  }

  static async start(options: FcmSimulatorOptions): Promise<FcmSimulator> {
    const simulator = new FcmSimulator(options);
    const handler = (request: SimulatorRequest, response: SimulatorResponse) => {
      simulator.handle(request, response).catch((error: unknown) => {
        sendJson(response, 500, googleError(500, "INTERNAL", String(error)));
      });
    };
    simulator.server = options.plaintext
      ? await listen(createServer(handler), "http", options.host, options.port)
      : await listen(
          createSecureServer({ ...serverTlsOptions(), allowHTTP1: true }, handler),
          "https",
          options.host,
          options.port,
        );
    return simulator;
  }

  /** The base URL to give as `FCM_ENDPOINT`. */
  get url(): string {
    if (!this.server) throw new Error("the FCM simulator is not started");
    return this.server.url;
  }

  /** Accept tokens asked for with this service account, for its project. */
  registerServiceAccount(account: FcmServiceAccountRegistration): void {
    this.tokens.register(account);
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  private async handle(request: SimulatorRequest, response: SimulatorResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://simulator").pathname;
    const project = sendPath.exec(path)?.[1];
    if (request.method === "POST" && path === "/token") return this.exchangeToken(request, response);
    if (request.method === "POST" && project)
      return this.sendMessage(request, response, decodeURIComponent(project));
    sendJson(response, 404, googleError(404, "NOT_FOUND", `No route for ${request.method} ${path}.`));
  }

  private async exchangeToken(request: SimulatorRequest, response: SimulatorResponse): Promise<void> {
    const body = await readBody(request, maxRequestBytes);
    const answer = await this.tokens.exchange(new URLSearchParams(body?.toString("utf8") ?? ""));
    sendJson(response, answer.status, answer.body);
  }

  private async sendMessage(
    request: SimulatorRequest,
    response: SimulatorResponse,
    project: string,
  ): Promise<void> {
    const authorization = this.tokens.authorize(request.headers.authorization, project);
    if (!authorization.ok) return sendJson(response, authorization.status, authorization.error);

    const body = await readBody(request, maxRequestBytes);
    const json = body && parseJson(body);
    if (json === undefined) {
      return sendJson(response, 400, invalidArgument("", "Invalid JSON payload received. Unexpected token."));
    }
    const checked = checkSendRequest(json);
    if (!checked.ok) return sendJson(response, 400, checked.error);

    const token = checked.message.token;
    if (typeof token === "string" && !isFcmRegistrationToken(token)) {
      const message = "The registration token is not a valid FCM registration token";
      return sendJson(response, 400, fcmError(400, "INVALID_ARGUMENT", message, "INVALID_ARGUMENT"));
    }
    const messageId = `projects/${project}/messages/0:${Date.now()}%${randomBytes(8).toString("hex")}`;
    if (checked.validateOnly || typeof token !== "string")
      return sendJson(response, 200, { name: messageId });

    const verdict = this.options.scripts.attempt(token);
    if (verdict.kind === "dead") {
      return sendJson(
        response,
        404,
        fcmError(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED"),
      );
    }
    if (verdict.kind === "foreign") {
      return sendJson(
        response,
        403,
        fcmError(403, "PERMISSION_DENIED", "SenderId mismatch", "SENDER_ID_MISMATCH"),
      );
    }
    if (verdict.kind === "unavailable") {
      const headers =
        verdict.retryAfterSeconds === undefined ? {} : { "retry-after": String(verdict.retryAfterSeconds) };
      const error =
        verdict.status === 429
          ? fcmError(429, "RESOURCE_EXHAUSTED", "Quota exceeded for sending messages.", "QUOTA_EXCEEDED")
          : fcmError(503, "UNAVAILABLE", "The service is currently unavailable.", "UNAVAILABLE");
      return sendJson(response, verdict.status, error, headers);
    }
    if (verdict.delayMs > 0) await sleep(verdict.delayMs);
    this.options.received.add({
      simulator: this.name,
      token,
      sender: authorization.clientEmail,
      headers: {},
      payload: checked.message,
      receivedAt: new Date(),
    });
    sendJson(response, 200, { name: messageId });
  }
}
