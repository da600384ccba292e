import type { FieldError } from "../../domain/errors.js";
import { type LiveEvent, liveEventSchema } from "../../domain/events/live-event.js";
import { maxJsonDepth, nestsDeeperThan } from "../../domain/json/json-bounds.js";

export type ParsedEvent = { ok: true; event: LiveEvent } | { ok: false; id?: string; errors: FieldError[] };

/** Checks one event against the schema of its type, listing every error. */
export function parseEvent(candidate: unknown): ParsedEvent {
  if (nestsDeeperThan(candidate)) {
    return {
      ok: false,
      id: idOf(candidate),
      errors: [{ path: "(event)", message: `nests arrays and objects deeper than ${maxJsonDepth} levels` }],
    };
  }
  const result = liveEventSchema.safeParse(candidate);
  if (result.success) return { ok: true, event: result.data };
  return {
    ok: false,
    id: idOf(candidate),
    errors: result.error.issues.map((issue) => ({
      path: issue.path.join(".") || "(event)",
      message: issue.message,
    })),
  };
}

function idOf(candidate: unknown): string | undefined {
  const id = (candidate as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : undefined;
}
