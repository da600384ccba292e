function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A body as a customer's webhook receives it: `{ event, notification, recipient_ids }`. */
export function isDeliverySample(value: unknown): value is Record<string, unknown> {
  return isObject(value) && isObject(value.event) && Array.isArray(value.recipient_ids);
}

export function isEventSample(value: unknown): value is Record<string, unknown> {
  return isObject(value) && typeof value.type === "string";
}
