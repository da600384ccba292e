const unpairedSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** NUL, or a UTF-16 surrogate without its pair: in no text a database stores. */
function isUnstorable(text: string): boolean {
  return text.includes("\u0000") || unpairedSurrogate.test(text);
}

/**
 * Where `value` holds a string, key or value, with a NUL (U+0000) or an unpaired surrogate, as a
 * path (`modules.0.role_filter.only.1`), or null. PostgreSQL refuses NUL in text and JSON columns
 * and an unpaired surrogate in JSON ones. Walks without recursion, like `nestsDeeperThan`.
 */
export function unstorableTextPath(value: unknown): string | null {
  const pending: [unknown, string[]][] = [[value, []]];
  while (pending.length > 0) {
    const [current, path] = pending.pop() as [unknown, string[]];
    if (typeof current === "string") {
      if (isUnstorable(current)) return path.join(".") || "(body)";
      continue;
    }
    if (current === null || typeof current !== "object") continue;
    for (const [key, child] of Object.entries(current)) {
      if (isUnstorable(key)) return [...path, key].join(".");
      pending.push([child, [...path, key]]);
    }
  }
  return null;
}
