import type { FieldError } from "../../domain/errors.js";
import { type LiveEvent, liveEventSchema } from "../../domain/events/live-event.js";

export type ParsedEvent = { ok: true; event: LiveEvent } | { ok: false; id?: string; errors: FieldError[] };

/** Checks one event against the schema of its type, listing every error. */
export function parseEvent(candidate: unknown): ParsedEvent {
  const result = liveEventSchema.safeParse(candidate);
  if (result.success) return { ok: true, event: result.data };
  const id = (candidate as { id?: unknown } | null)?.id;
  return {
    ok: false,
    id: typeof id === "string" ? id : undefined,
    errors: result.error.issues.map((issue) => ({
      path: issue.path.join(".") || "(event)",
      message: issue.message,
    })),
  };
}
