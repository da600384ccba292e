/**
 * The deepest nesting any JSON body may have. Real payloads stay under ten levels; deeper
 * ones exist to overflow the stack of whatever walks them recursively (JSON.stringify does).
 */
export const maxJsonDepth = 32;

const unpairedSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** NUL, or a UTF-16 surrogate without its pair: in no text a database stores. */
export function isUnstorableText(text: string): boolean {
  return text.includes("\u0000") || unpairedSurrogate.test(text);
}

/**
 * What a parsed JSON value holds that Pushgate refuses: arrays and objects nested deeper than
 * `maxJsonDepth`, or (with `checkText`) a string, key or value, with a NUL or an unpaired
 * surrogate — PostgreSQL refuses NUL in text and JSON columns and an unpaired surrogate in JSON
 * ones — named by its path (`modules.0.role_filter.only.1`).
 */
export type JsonProblem = { kind: "too-deep" } | { kind: "unstorable-text"; path: string };

/** The first problem of `value`, or null; one walk, without recursion (deep values are what it guards against). */
export function jsonProblem(value: unknown, { checkText }: { checkText: boolean }): JsonProblem | null {
  const pending: [unknown, string[]][] = [[value, []]];
  while (pending.length > 0) {
    const [current, path] = pending.pop() as [unknown, string[]];
    if (typeof current === "string") {
      if (checkText && isUnstorableText(current))
        return { kind: "unstorable-text", path: path.join(".") || "(body)" };
      continue;
    }
    if (current === null || typeof current !== "object") continue;
    if (path.length + 1 > maxJsonDepth) return { kind: "too-deep" };
    for (const [key, child] of Object.entries(current)) {
      if (checkText && isUnstorableText(key))
        return { kind: "unstorable-text", path: [...path, key].join(".") };
      pending.push([child, [...path, key]]);
    }
  }
  return null;
}

/** Whether `value` nests arrays and objects deeper than `maxJsonDepth`. */
export function nestsDeeperThan(value: unknown): boolean {
  return jsonProblem(value, { checkText: false })?.kind === "too-deep";
}
