/**
 * The deepest nesting any JSON body may have. Real payloads stay under ten levels; deeper
 * ones exist to overflow the stack of whatever walks them recursively (JSON.stringify does).
 */
export const maxJsonDepth = 32;

/** Whether `value` nests arrays and objects deeper than `maxDepth`; walks without recursion. */
export function nestsDeeperThan(value: unknown, maxDepth: number = maxJsonDepth): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop() as [unknown, number];
    if (current === null || typeof current !== "object") continue;
    if (depth + 1 > maxDepth) return true;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
}
