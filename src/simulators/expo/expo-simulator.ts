import { createSecureServer } from "node:http2";
import { setTimeout as sleep } from "node:timers/promises";
import { gunzipSync } from "node:zlib";
import { isExpoPushToken } from "../device-tokens.js";
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
import type { TokenScripts, Verdict } from "../token-scripts.js";
import { expoErrors, validationError } from "./expo-errors.js";
import { checkReceiptsBody, checkSendBody, recipients } from "./expo-message-rules.js";
import { type ExpoReceipt, type ExpoReceiptError, ReceiptBook, receiptError } from "./expo-receipts.js";

export interface ExpoSimulatorOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  received: ReceivedLog;
  scripts: TokenScripts;
  /** Expo's "enhanced security": the access tokens a request must carry one of. None: any request. */
  accessTokens?: Iterable<string>;
}

type ExpoTicket =
  | { status: "ok"; id: string }
  | {
      status: "error";
      message: string;
      details: { error: "DeviceNotRegistered" | "MessageTooBig"; expoPushToken?: string };
    };

const sendPath = "/--/api/v2/push/send";
const receiptsPath = "/--/api/v2/push/getReceipts";
const maxRequestBytes = 1024 * 1024;
/** Expo's limit on one notification's payload. */
const maxPayloadBytes = 4096;

/**
 * Expo's push service (`https://exp.host/--/api/v2/push/…`): tickets at send, receipts later.
 * TLS serves HTTP/2 and HTTP/1.1, as exp.host does.
 */
export class ExpoSimulator {
  readonly name = "expo";
  /** How many notifications each answered send request held, in arrival order. */
  readonly sendRequestSizes: number[] = [];
  private readonly receipts = new ReceiptBook();
  private readonly receiptScripts = new Map<string, ExpoReceiptError>();
  private readonly accessTokens: Set<string>;
  private server?: ListeningServer;

  private constructor(private readonly options: ExpoSimulatorOptions) {
    this.accessTokens = new Set(options.accessTokens);
  }

  static async start(options: ExpoSimulatorOptions): Promise<ExpoSimulator> {
    const simulator = new ExpoSimulator(options);
    const handler = (request: SimulatorRequest, response: SimulatorResponse) => {
      simulator.handle(request, response).catch((error: unknown) => {
        sendJson(response, 500, expoErrors("INTERNAL_SERVER_ERROR", String(error), true));
      });
    };
    simulator.server = await listen(
      createSecureServer({ ...serverTlsOptions(), allowHTTP1: true }, handler),
      "https",
      options.host,
      options.port,
    );
    return simulator;
  }

  /** The base URL to give as `EXPO_ENDPOINT`. */
  get url(): string {
    if (!this.server) throw new Error("the Expo simulator is not started");
    return this.server.url;
  }

  /**
   * Accepts `token`'s notifications at send (an `ok` ticket) and reports `error` in their receipt,
   * as Expo learns only from APNs or FCM, after the ticket, that a device is gone.
   */
  scriptReceipt(token: string, error: ExpoReceiptError): void {
    this.receiptScripts.set(token, error);
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  private async handle(request: SimulatorRequest, response: SimulatorResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://simulator").pathname;
    if (request.method !== "POST" || (path !== sendPath && path !== receiptsPath)) {
      return sendJson(response, 404, expoErrors("NOT_FOUND", `No route for ${request.method} ${path}.`));
    }
    if (!this.authorized(request.headers.authorization)) {
      return sendJson(
        response,
        401,
        expoErrors("UNAUTHORIZED", "The bearer token is invalid; check the access token you are using."),
      );
    }
    const body = await readJsonBody(request);
    if (!body.ok) return sendJson(response, 400, validationError(body.problem));
    if (path === sendPath) return this.send(body.json, response);
    const checked = checkReceiptsBody(body.json);
    if (!checked.ok) return sendJson(response, 400, checked.error);
    sendJson(response, 200, { data: this.receipts.lookup(checked.ids) });
  }

  private authorized(authorization: string | undefined): boolean {
    if (this.accessTokens.size === 0) return true;
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    return token !== undefined && this.accessTokens.has(token);
  }

  private async send(body: unknown, response: SimulatorResponse): Promise<void> {
    const checked = checkSendBody(body);
    if (!checked.ok) return sendJson(response, 400, checked.error);
    const notifications = checked.messages.flatMap((message) =>
      recipients(message).map((token) => ({ message, token })),
    );
    // Every scripted token of the request counts the attempt, as each would be retried with it.
    const verdicts = notifications.map(({ token }) =>
      isExpoPushToken(token) ? this.options.scripts.attempt(token) : undefined,
    );
    const unavailable = verdicts.find((verdict) => verdict?.kind === "unavailable");
    if (unavailable?.kind === "unavailable") return refuseForNow(response, unavailable);
    const delayMs = Math.max(
      0,
      ...verdicts.map((verdict) => (verdict?.kind === "accept" ? verdict.delayMs : 0)),
    );
    if (delayMs > 0) await sleep(delayMs);

    const tickets = notifications.map(({ message, token }, index) =>
      this.ticket(message, token, verdicts[index]),
    );
    this.sendRequestSizes.push(notifications.length);
    sendJson(response, 200, { data: tickets });
  }

  private ticket(message: Record<string, unknown>, token: string, verdict: Verdict | undefined): ExpoTicket {
    if (verdict === undefined) {
      return {
        status: "error",
        message: `"${token}" is not a valid Expo push token`,
        details: { error: "DeviceNotRegistered", expoPushToken: token },
      };
    }
    if (verdict.kind === "dead") {
      return {
        status: "error",
        message: `"${token}" is not a registered push notification recipient`,
        details: { error: "DeviceNotRegistered", expoPushToken: token },
      };
    }
    const { to: _, ...content } = message;
    if (Buffer.byteLength(JSON.stringify(content)) > maxPayloadBytes) {
      return {
        status: "error",
        message: `Message too big: the payload exceeds ${maxPayloadBytes} bytes.`,
        details: { error: "MessageTooBig" },
      };
    }
    const receipt = this.receiptFor(token, verdict);
    if (receipt.status === "ok") {
      this.options.received.add({
        simulator: this.name,
        token,
        sender: "expo",
        headers: {},
        payload: { ...message, to: token },
        receivedAt: new Date(),
      });
    }
    return { status: "ok", id: this.receipts.file(receipt) };
  }

  private receiptFor(token: string, verdict: Verdict): ExpoReceipt {
    const scripted = this.receiptScripts.get(token);
    if (scripted) return receiptError(scripted, token);
    if (verdict.kind === "foreign") return receiptError("MismatchSenderId", token);
    return { status: "ok" };
  }
}

type JsonBody = { ok: true; json: unknown } | { ok: false; problem: string };

/** The JSON body, gunzipped when `Content-Encoding: gzip` (Expo's SDK compresses large requests). */
async function readJsonBody(request: SimulatorRequest): Promise<JsonBody> {
  const raw = await readBody(request, maxRequestBytes);
  if (raw === undefined) return { ok: false, problem: "The request body is too large." };
  const encoding = request.headers["content-encoding"];
  let bytes = raw;
  if (encoding === "gzip") {
    try {
      bytes = gunzipSync(raw, { maxOutputLength: maxRequestBytes });
    } catch {
      return { ok: false, problem: "The request body is not valid gzip." };
    }
  } else if (encoding !== undefined && encoding !== "identity") {
    return { ok: false, problem: `Unsupported Content-Encoding: ${encoding}.` };
  }
  const json = parseJson(bytes);
  return json === undefined
    ? { ok: false, problem: "The request body is not valid JSON." }
    : { ok: true, json };
}

function refuseForNow(response: SimulatorResponse, verdict: Extract<Verdict, { kind: "unavailable" }>): void {
  const headers =
    verdict.retryAfterSeconds === undefined ? {} : { "retry-after": String(verdict.retryAfterSeconds) };
  const error =
    verdict.status === 429
      ? expoErrors("TOO_MANY_REQUESTS", "Too many requests: slow down and retry later.", true)
      : expoErrors("SERVICE_UNAVAILABLE", "The push service is temporarily unavailable.", true);
  sendJson(response, verdict.status, error, headers);
}
