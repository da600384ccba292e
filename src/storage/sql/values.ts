/**
 * Readers of the column values that the two databases return differently: SQLite gives
 * epoch milliseconds, 0/1 and JSON text; PostgreSQL gives `Date`s, booleans and parsed JSON.
 */
export function readTime(value: unknown): Date {
  return value instanceof Date ? value : new Date(value as number);
}

export function readOptionalTime(value: unknown): Date | null {
  return value === null || value === undefined ? null : readTime(value);
}

export function readBoolean(value: unknown): boolean {
  return value === true || value === 1;
}

export function readJson<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}
