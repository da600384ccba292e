import { type OutgoingHttpHeaders, STATUS_CODES } from "node:http";
import { type SimulatorResponse, sendJson } from "../http-exchange.js";

/** A refusal in the shape of Mozilla autopush's error bodies: `{code, error, message}`. */
export function sendPushError(
  response: SimulatorResponse,
  status: number,
  message: string,
  headers: OutgoingHttpHeaders = {},
): void {
  sendJson(response, status, { code: status, error: STATUS_CODES[status], message }, headers);
}
