import { AsyncLocalStorage } from "node:async_hooks";
import diagnosticsChannel from "node:diagnostics_channel";
import type { ClientRequest, IncomingMessage } from "node:http";

/** Status and `Retry-After` of the last HTTP response received while a capture was running. */
export interface CapturedResponse {
  status?: number;
  retryAfter?: string;
}

const captures = new AsyncLocalStorage<CapturedResponse>();

// firebase-admin's errors keep neither the HTTP status nor the headers of FCM's answer, so
// `Retry-After` is read from the response itself; the async context ties it to one send.
diagnosticsChannel.subscribe("http.client.request.start", (message) => {
  const capture = captures.getStore();
  if (!capture) return;
  const { request } = message as { request: ClientRequest };
  request.once("response", (response: IncomingMessage) => {
    capture.status = response.statusCode;
    capture.retryAfter = response.headers["retry-after"];
  });
});

/** Runs `task`, recording into `capture` each HTTP response its requests receive. */
export function captureResponses<T>(capture: CapturedResponse, task: () => Promise<T>): Promise<T> {
  return captures.run(capture, task);
}
