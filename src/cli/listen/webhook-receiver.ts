import { createServer, type IncomingMessage, type Server } from "node:http";
import { type AddressInfo, isIPv6 } from "node:net";
import { SignatureError, verifyWebhook } from "../../security/standard-webhooks.js";
import { listenError } from "../user-error.js";
import type { ListenAnswer } from "./listen-answer.js";

/** Standard Webhooks' recommended tolerance, the same the gateway applies to events. */
const toleranceSeconds = 300;

export interface ReceivedDelivery {
  method: string;
  path: string;
  webhookId: string | undefined;
  signature: "verified" | "not checked";
  body: unknown;
}

export interface ReceiverOptions {
  host: string;
  port: number;
  /** Deliveries whose signature does not match it are refused with 401. */
  webhookSecret?: string;
  /** What to answer this delivery; asked once per delivery, after its signature is checked. */
  answerFor(delivery: ReceivedDelivery): ListenAnswer;
  onDelivery(delivery: ReceivedDelivery, answer: ListenAnswer): void;
  onRefusal(request: { method: string; path: string }, status: number, reason: string): void;
}

export interface Receiver {
  url: string;
  close(): Promise<void>;
}

export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const server = createServer((request, response) => {
    const refuse = (status: number, reason: string) => {
      response
        .writeHead(status, { "content-type": "application/json" })
        .end(JSON.stringify({ error: reason }));
      options.onRefusal({ method: request.method ?? "", path: request.url ?? "" }, status, reason);
    };
    receive(request, options.webhookSecret).then(
      (outcome) => {
        if ("refusal" in outcome) return refuse(outcome.status, outcome.refusal);
        const answer = options.answerFor(outcome);
        response.writeHead(answer.status, answer.body ? { "content-type": "application/json" } : {});
        response.end(answer.body);
        options.onDelivery(outcome, answer);
      },
      (error: Error) => refuse(400, `the request could not be read: ${error.message}`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) => reject(listenError(error, "--host, --port")));
    server.listen(options.port, options.host, resolve);
  });
  return { url: urlOf(server, options.host), close: () => closeServer(server) };
}

type Outcome = ReceivedDelivery | { status: number; refusal: string };

async function receive(request: IncomingMessage, webhookSecret: string | undefined): Promise<Outcome> {
  if (request.method !== "POST") return { status: 405, refusal: "Pushgate delivers with POST" };
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const signed = {
    "webhook-id": header("webhook-id"),
    "webhook-timestamp": header("webhook-timestamp"),
    "webhook-signature": header("webhook-signature"),
  };
  if (webhookSecret) {
    try {
      verifyWebhook(signed, raw, [webhookSecret], { toleranceSeconds });
    } catch (error) {
      if (error instanceof SignatureError) return { status: 401, refusal: error.message };
      throw error;
    }
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    return { status: 400, refusal: "the body is not JSON" };
  }
  return {
    method: request.method,
    path: request.url ?? "/",
    webhookId: signed["webhook-id"],
    signature: webhookSecret ? "verified" : "not checked",
    body,
  };
}

function urlOf(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  return `http://${isIPv6(host) ? `[${host}]` : host}:${port}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
