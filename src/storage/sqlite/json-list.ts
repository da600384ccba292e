import { sql } from "drizzle-orm";

/**
 * A list bound as one JSON parameter (`IN (select value from json_each(?))`), so a batch
 * of any size is one statement and never meets SQLite's limit on bound variables.
 */
export function jsonList(values: readonly string[]) {
  return sql`(select value from json_each(${JSON.stringify(values)}))`;
}
