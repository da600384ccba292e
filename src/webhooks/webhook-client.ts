import got, { RequestError } from "got";
import { signWebhook } from "../security/standard-webhooks.js";
import { type CustomerDecision, decide2xx, retryAfterMs } from "./customer-answer.js";
import { guardedLookup, refusedLiteralTarget } from "./target-guard.js";

export interface WebhookCall {
  url: string;
  /** `webhook-id`: the same for every attempt of one delivery. */
  id: string;
  body: string;
  /** The app's webhook secrets: one signature each (two during a rotation). */
  secrets: string[];
  timeoutMs: number;
}

export interface WebhookAttempt {
  at: Date;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  /** The start of what the customer answered, for the attempt log. */
  response: string | null;
  decision: CustomerDecision;
}

export interface WebhookClientOptions {
  allowPrivateTargets: boolean;
  responseLimitBytes: number;
  userAgent: string;
}

const loggedResponseChars = 1024;

/**
 * POSTs one delivery to a customer's server, signed per Standard Webhooks with a
 * fresh timestamp, no redirects, the answer read up to a bound.
 */
export class WebhookClient {
  constructor(private readonly options: WebhookClientOptions) {}

  async call(call: WebhookCall): Promise<WebhookAttempt> {
    const at = new Date();
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const headers = {
      "content-type": "application/json",
      "user-agent": this.options.userAgent,
      ...signWebhook(call.secrets, call.id, Math.floor(Date.now() / 1000), call.body),
    };
    const refused = this.options.allowPrivateTargets ? null : refusedLiteralTarget(call.url);
    if (refused) {
      // Stored while private targets were allowed: refused now, as a host name resolving there would be.
      return {
        at,
        statusCode: null,
        durationMs: elapsed(),
        error: refused,
        response: null,
        decision: { kind: "unreachable", error: refused },
      };
    }
    let statusCode: number | null = null;
    let retryAfter: string | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    try {
      const stream = got.stream.post(call.url, {
        body: call.body,
        headers,
        throwHttpErrors: false,
        followRedirect: false,
        retry: { limit: 0 },
        timeout: { request: call.timeoutMs },
        dnsLookup: this.options.allowPrivateTargets ? undefined : (guardedLookup as never),
      });
      stream.once("response", (response: { statusCode: number; headers: Record<string, string> }) => {
        statusCode = response.statusCode;
        retryAfter = response.headers["retry-after"];
      });
      for await (const chunk of stream) {
        size += (chunk as Buffer).length;
        if (size > this.options.responseLimitBytes) {
          truncated = true;
          stream.destroy();
          break;
        }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      const message = describe(error);
      const unsafe = (error as NodeJS.ErrnoException).code === "EUNSAFETARGET";
      return {
        at,
        statusCode,
        durationMs: elapsed(),
        error: message,
        response: null,
        decision: unsafe ? { kind: "unreachable", error: message } : { kind: "retry", error: message },
      };
    }
    const body = Buffer.concat(chunks);
    const response = body.toString("utf8").slice(0, loggedResponseChars) || null;
    const code = statusCode ?? 0;
    if (code >= 200 && code < 300) {
      const decision = decide2xx(code, body, truncated);
      const error = decision.kind === "invalid" ? decision.error : null;
      return { at, statusCode: code, durationMs: elapsed(), error, response, decision };
    }
    const error = code >= 300 && code < 400 ? `redirect (${code}) not followed` : `HTTP ${code}`;
    return {
      at,
      statusCode: code,
      durationMs: elapsed(),
      error,
      response,
      decision: { kind: "retry", error, retryAfterMs: retryAfterMs(retryAfter) },
    };
  }
}

function describe(error: unknown): string {
  if (error instanceof RequestError) {
    if (error.code === "ETIMEDOUT") return `no answer within the timeout (${error.message})`;
    return `${error.code}: ${error.message}`;
  }
  return (error as Error).message;
}
