import { randomUUID } from "node:crypto";
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from "node:http2";
import { setTimeout as sleep } from "node:timers/promises";
import { type ApnsEnvironment, apnsTokenEnvironment } from "../device-tokens.js";
import { isRecord, parseJson, readBody, sendJson } from "../http-exchange.js";
import { type ListeningServer, listen } from "../listening-server.js";
import type { ReceivedLog } from "../received-log.js";
import { serverTlsOptions } from "../tls-material.js";
import type { TokenScripts } from "../token-scripts.js";
import { apnsHeaders, header, headerProblem } from "./apns-header-rules.js";
import { ConnectionTokens } from "./connection-tokens.js";
import { type ApnsKeyRegistration, ProviderTokens } from "./provider-tokens.js";

export interface ApnsSimulatorOptions {
  /** Apple's production or sandbox (development) host: a token of the other one is refused. */
  environment: ApnsEnvironment;
  host: string;
  /** 0 picks a free port. */
  port: number;
  received: ReceivedLog;
  scripts: TokenScripts;
  /** The simulator's time, in ms since the epoch, against which provider tokens age. */
  clock: () => number;
}

const devicePath = /^\/3\/device\/([^/]*)$/;
const deviceToken = /^(?:[0-9a-fA-F]{2}){32,100}$/;
const maxPayloadBytes = 4096;
const maxVoipPayloadBytes = 5120;
/** What APNs advertises once a connection is authenticated. */
const maxConcurrentStreams = 1000;

/** The APNs provider API (HTTP/2 over TLS, token-based authentication) for one environment. */
export class ApnsSimulator {
  private readonly providerTokens = new ProviderTokens();
  private readonly connectionTokens = new ConnectionTokens();
  private server?: ListeningServer;
  private inFlight = 0;
  private peak = 0;

  private constructor(private readonly options: ApnsSimulatorOptions) {}

  static async start(options: ApnsSimulatorOptions): Promise<ApnsSimulator> {
    const simulator = new ApnsSimulator(options);
    const server = createSecureServer(
      { ...serverTlsOptions(), settings: { maxConcurrentStreams } },
      (request, response) => {
        simulator.track(request, response).catch((error: unknown) => {
          sendJson(response, 500, { reason: "InternalServerError", detail: String(error) });
        });
      },
    );
    simulator.server = await listen(server, "https", options.host, options.port);
    return simulator;
  }

  /** Names the simulator in the received log: `apns-production` or `apns-sandbox`. */
  get name(): string {
    return `apns-${this.options.environment}`;
  }

  /** The base URL to give as `APNS_PRODUCTION_ENDPOINT` or `APNS_SANDBOX_ENDPOINT`. */
  get url(): string {
    if (!this.server) throw new Error(`the ${this.name} simulator is not started`);
    return this.server.url;
  }

  /** The most requests this simulator has had in progress at once. */
  get peakRequestsInFlight(): number {
    return this.peak;
  }

  /** Accept provider tokens signed with this key, for its bundle id and the topics derived from it. */
  registerKey(key: ApnsKeyRegistration): void {
    this.providerTokens.register(key);
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  private async track(request: Http2ServerRequest, response: Http2ServerResponse): Promise<void> {
    this.inFlight += 1;
    this.peak = Math.max(this.peak, this.inFlight);
    try {
      await this.handle(request, response);
    } finally {
      this.inFlight -= 1;
    }
  }

  private async handle(request: Http2ServerRequest, response: Http2ServerResponse): Promise<void> {
    // Named before any await: a closing connection takes its streams' session away.
    const connection: object = request.stream.session ?? request.stream;
    const token = devicePath.exec(new URL(request.url, "https://simulator").pathname)?.[1];
    if (token === undefined) return refuse(response, 404, "BadPath");
    if (request.method !== "POST") return refuse(response, 405, "MethodNotAllowed");

    const now = this.options.clock();
    const provider = await this.providerTokens.check(request.headers.authorization, now);
    if (!provider.ok) return refuse(response, 403, provider.reason);
    if (!this.connectionTokens.take(connection, provider.jwt, provider.issuedAt, now)) {
      return refuse(response, 429, "TooManyProviderTokenUpdates");
    }
    const topic = header(request.headers, "apns-topic");
    if (topic === undefined) return refuse(response, 400, "MissingTopic");
    const topicSuffix = this.providerTokens.topicSuffix(provider.teamId, topic);
    if (topicSuffix === undefined) return refuse(response, 400, "TopicDisallowed");
    const problem = headerProblem(request.headers, topicSuffix);
    if (problem) return refuse(response, 400, problem);
    if (token === "") return refuse(response, 400, "MissingDeviceToken");
    if (!deviceToken.test(token)) return refuse(response, 400, "BadDeviceToken");
    if (apnsTokenEnvironment(token) !== this.options.environment) {
      return refuse(response, 400, "BadDeviceToken");
    }

    const voip = header(request.headers, "apns-push-type") === "voip";
    const body = await readBody(request, voip ? maxVoipPayloadBytes : maxPayloadBytes);
    if (body === undefined) return refuse(response, 413, "PayloadTooLarge");
    const payload = parseJson(body);
    if (!isRecord(payload) || !isRecord(payload.aps) || Object.keys(payload.aps).length === 0) {
      return refuse(response, 400, "PayloadEmpty");
    }

    const verdict = this.options.scripts.attempt(token);
    if (verdict.kind === "dead") {
      return sendJson(response, 410, { reason: "Unregistered", timestamp: Date.now() });
    }
    if (verdict.kind === "foreign") return refuse(response, 400, "DeviceTokenNotForTopic");
    if (verdict.kind === "unavailable") {
      const reason = verdict.status === 429 ? "TooManyRequests" : "ServiceUnavailable";
      const headers =
        verdict.retryAfterSeconds === undefined ? {} : { "retry-after": String(verdict.retryAfterSeconds) };
      return sendJson(response, verdict.status, { reason }, headers);
    }
    if (verdict.delayMs > 0) await sleep(verdict.delayMs);

    const apnsId = header(request.headers, "apns-id") ?? randomUUID();
    this.options.received.add({
      simulator: this.name,
      token,
      sender: `${provider.teamId}/${provider.keyId}`,
      headers: apnsHeaders(request.headers),
      payload,
      receivedAt: new Date(),
    });
    response.writeHead(200, { "apns-id": apnsId });
    response.end();
  }
}

function refuse(response: Http2ServerResponse, status: number, reason: string): void {
  sendJson(response, status, { reason });
}
