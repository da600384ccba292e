import { gatewayVersion } from "../../runtime/version.js";
import { newId } from "../../security/credentials.js";
import { signWebhook } from "../../security/standard-webhooks.js";

/** POSTs a JSON body signed per Standard Webhooks, with the headers Pushgate itself sends. */
export function postSigned(url: string, body: string, secret: string, timeoutMs: number): Promise<Response> {
  const headers = {
    "content-type": "application/json",
    "user-agent": `pushgate/${gatewayVersion}`,
    ...signWebhook([secret], newId("msg"), Math.floor(Date.now() / 1000), body),
  };
  return fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(timeoutMs) });
}

/** Why a request got no answer, in a few words. */
export function describeNetworkError(error: unknown): string {
  if ((error as Error).name === "TimeoutError") return "no answer within the timeout";
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
