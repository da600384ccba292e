import { statusCallbackTypes } from "../../domain/apps/app.js";

type Loose = Record<string, unknown>;

function isObject(value: unknown): value is Loose {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A status callback body: `{ type, app_id, occurred_at, data }` with a type the gateway sends. */
export function isCallback(body: unknown): body is { type: string; data: Loose } {
  return (
    isObject(body) &&
    (statusCallbackTypes as readonly unknown[]).includes(body.type) &&
    typeof body.app_id === "string" &&
    isObject(body.data)
  );
}

/** One line saying what a status callback tells, e.g. which device lost which token and why. */
export function callbackLine(body: unknown): string | undefined {
  if (!isCallback(body)) return undefined;
  const { data } = body;
  switch (body.type) {
    case "device.token_removed":
      return `callback device.token_removed  user ${data.user_id} device ${data.device_id ?? "(none)"} provider ${data.provider} token …${String(data.token).slice(-8)} (${data.reason})`;
    case "event.completed":
    case "event.failed": {
      const deliveries = isObject(data.deliveries) ? data.deliveries : {};
      const error = data.error ? ` · ${data.error}` : "";
      return `callback ${body.type}  event ${data.event_id} (${data.event_type}) ${data.status} · ${data.recipients} recipients, ${data.suppressed} suppressed · sent ${deliveries.sent} failed ${deliveries.failed} invalid_tokens ${deliveries.invalid_tokens} expired ${deliveries.expired}${error}`;
    }
    default:
      return `callback ${body.type}  at ${data.disabled_at}: ${data.reason}`;
  }
}
