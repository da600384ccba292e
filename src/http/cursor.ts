import { HttpProblem } from "./problem.js";

/** A page's `next_cursor`: the sort key of its last item, opaque to clients. */
export function encodeCursor(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/**
 * A `cursor` read back as the client sent it: `read` throws unless the key is one `encodeCursor`
 * could have written, and the client gets a 400 naming `cursor`.
 */
export function decodeCursor<Key>(cursor: string, read: (key: unknown[]) => Key): Key {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(key)) throw new Error("not a cursor");
    return read(key);
  } catch {
    throw new HttpProblem(400, "validation", "cursor is not a next_cursor this API gave", {
      errors: [{ path: "cursor", message: "unknown cursor" }],
    });
  }
}
